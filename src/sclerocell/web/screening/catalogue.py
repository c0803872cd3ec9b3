"""What each screening form asks, by fact code (``sclerocell.facts.codes``): the finding sections,
the investigator's statements, the measurement groups with the units offered for each code.

The codes are the core's vocabulary, so a form cannot collect something the criteria do not read,
and a criterion cannot read something no form collects (``tests/web/screening`` checks both).
Labels come from the core's bilingual ``Text`` objects, rendered in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sclerocell.clinical.mrss import SITES
from sclerocell.criteria.text import Lang, Text
from sclerocell.facts import codes

RECIPIENT = "recipient"
DONOR = "donor"


def lang() -> Lang:
    """The active language as the core names it (French unless English is active)."""
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def render(text: Text) -> str:
    return text.render(lang())


def label(code: str) -> str:
    """The code's label in the active language, capitalised for a form."""
    text = render(codes.label(code))
    return text[:1].upper() + text[1:]


# Qualitative tests read "positive / negative"; other findings "present / absent".
TESTS = frozenset(
    {
        "anticentromere",
        "anti_topoisomerase_i",
        "anti_rna_polymerase_iii",
        "hiv_serology",
        "htlv_serology",
        "hbs_antigen",
        "hcv_serology",
        "syphilis_serology",
        "hiv_pcr",
        "hcv_pcr",
        "hbv_pcr",
        "pregnancy",
    }
)


@dataclass(frozen=True)
class Group:
    title: Promise
    codes: tuple[str, ...]


@dataclass(frozen=True)
class FindingSection:
    slug: str
    title: Promise
    role: str
    groups: tuple[Group, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for group in self.groups for code in group.codes)


FINDING_SECTIONS: tuple[FindingSection, ...] = (
    FindingSection(
        "classification",
        _("Classification of systemic sclerosis (ACR/EULAR 2013, ARA 1980)"),
        RECIPIENT,
        (
            Group(
                _("ACR/EULAR 2013 items"),
                (
                    "skin_thickening_proximal_to_mcp",
                    "puffy_fingers",
                    "sclerodactyly",
                    "digital_tip_ulcers",
                    "fingertip_pitting_scars",
                    "telangiectasia",
                    "abnormal_nailfold_capillaries",
                    "raynaud_phenomenon",
                    "anticentromere",
                    "anti_topoisomerase_i",
                    "anti_rna_polymerase_iii",
                ),
            ),
            Group(
                _("ACR/EULAR 2013 applicability"),
                ("skin_thickening_sparing_fingers", "scleroderma_like_disorder_explains"),
            ),
            Group(
                _("ARA 1980 criteria"),
                (
                    "proximal_scleroderma",
                    "digital_pitting_scars_or_pad_loss",
                    "bibasilar_pulmonary_fibrosis",
                ),
            ),
        ),
    ),
    FindingSection(
        "organs",
        _("Lungs, heart and kidneys"),
        RECIPIENT,
        (
            Group(
                _("Lungs (imaging, pulmonary hypertension)"),
                ("ild_on_imaging", "pah_rhc_confirmed"),
            ),
            Group(
                _("Heart"),
                (
                    "reversible_congestive_heart_failure",
                    "recurrent_rhythm_disorder",
                    "av_block_2nd_3rd_degree",
                    "pericardial_effusion_treated",
                    "refractory_congestive_heart_failure",
                    "uncontrolled_ventricular_arrhythmia",
                    "pericardial_effusion_haemodynamic",
                ),
            ),
            Group(
                _("Kidneys and blood pressure"),
                (
                    "urinary_sediment_abnormality",
                    "microangiopathic_haemolytic_anaemia",
                    "cyclophosphamide_cystitis_sequelae",
                    "uncontrolled_hypertension",
                ),
            ),
        ),
    ),
    FindingSection(
        "history",
        _("History, infections, exposures, pregnancy"),
        RECIPIENT,
        (
            Group(_("Neoplasia"), ("neoplasia_history", "active_neoplasia", "myelodysplasia")),
            Group(
                _("Infections and serologies"),
                (
                    "uncontrolled_infection",
                    "hiv_serology",
                    "htlv_serology",
                    "active_chronic_hepatitis_b",
                    "active_chronic_hepatitis_c",
                ),
            ),
            Group(
                _("Exposures and scleroderma-like conditions"),
                (
                    "exposure_bleomycin",
                    "exposure_toxic_oil",
                    "exposure_vinyl_chloride",
                    "exposure_trichloroethylene",
                    "exposure_silica",
                    "eosinophilia_myalgia_syndrome",
                    "eosinophilic_fasciitis",
                ),
            ),
            Group(_("Pregnancy"), ("pregnancy",)),
        ),
    ),
    FindingSection(
        "donor-medical",
        _("Donor: allergy, serologies and PCR, pregnancy"),
        DONOR,
        (
            Group(_("Allergy"), ("xylocaine_allergy",)),
            Group(
                _("Serologies and PCR"),
                (
                    "hiv_serology",
                    "htlv_serology",
                    "hbs_antigen",
                    "hcv_serology",
                    "syphilis_serology",
                    "hiv_pcr",
                    "hcv_pcr",
                    "hbv_pcr",
                ),
            ),
            Group(_("Pregnancy"), ("pregnancy",)),
        ),
    ),
)

# The investigator's statements, with the criterion each answers.
STATEMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    RECIPIENT: (
        ("refractory_to_recommended_immunosuppression", "R-I3a"),
        ("contraindication_to_recommended_immunosuppression", "R-I3a"),
        ("life_threatening_fibrosing_lung_disease", "R-I3a"),
        ("lung_transplant_ruled_out", "R-I3a"),
        ("non_ssc_causes_excluded_respiratory", "R-I3e"),
        ("non_ssc_causes_excluded_cardiac", "R-I3e"),
        ("non_ssc_causes_excluded_renal", "R-I3e"),
        ("uncontrolled_psychiatric_disorder", "R-E3"),
        ("poor_compliance_risk", "R-E10"),
    ),
    DONOR: (("donation_contraindication_other", "D-E2"),),
}

# Units offered for each measured code; the first is the canonical unit (the default).
UNITS: dict[str, tuple[str, ...]] = {
    "fvc_pct_pred": ("%",),
    "tlc_pct_pred": ("%",),
    "dlco_pct_pred": ("%",),
    "pao2": ("mmHg", "kPa"),
    "paco2": ("mmHg", "kPa"),
    "echo_spap": ("mmHg",),
    "rhc_mpap": ("mmHg",),
    "lvef": ("%",),
    "creatinine": ("µmol/L", "mg/dL"),
    "alt": ("U/L", "µkat/L"),
    "ast": ("U/L", "µkat/L"),
    "bilirubin": ("µmol/L", "mg/dL"),
    "neutrophils": ("10⁹/L", "/mm3"),
    "platelets": ("10⁹/L", "/mm3"),
    "haemoglobin": ("g/dL", "g/L", "mmol/L"),
    "cd4": ("10⁶/L", "/mm3"),
    "weight": ("kg",),
    "height": ("cm", "m"),
}
BLOOD_PRESSURE_UNITS: tuple[str, ...] = ("mmHg", "cmHg")


@dataclass(frozen=True)
class MeasurementGroup:
    slug: str
    title: Promise
    codes: tuple[str, ...]
    with_time: bool = False
    with_reference: bool = False


MEASUREMENT_GROUPS: tuple[MeasurementGroup, ...] = (
    MeasurementGroup(
        "lung-function",
        _("Lung function tests (% predicted)"),
        ("fvc_pct_pred", "tlc_pct_pred", "dlco_pct_pred"),
        with_time=True,
    ),
    MeasurementGroup(
        "blood-gases", _("Arterial blood gases at rest, without oxygen"), ("pao2", "paco2")
    ),
    MeasurementGroup(
        "heart-tests",
        _("Echocardiography, scintigraphy, right heart catheterisation"),
        ("echo_spap", "lvef", "rhc_mpap"),
    ),
    MeasurementGroup(
        "labs",
        _("Laboratory tests (with the laboratory's normal range)"),
        (
            "creatinine",
            "alt",
            "ast",
            "bilirubin",
            "neutrophils",
            "platelets",
            "haemoglobin",
            "cd4",
        ),
        with_reference=True,
    ),
    MeasurementGroup("body", _("Weight and height"), ("weight", "height")),
)

MRSS_SITES = SITES

FINDING_BY_SLUG = {section.slug: section for section in FINDING_SECTIONS}
MEASUREMENT_BY_SLUG = {group.slug: group for group in MEASUREMENT_GROUPS}
MEASURED_CODES = frozenset(code for group in MEASUREMENT_GROUPS for code in group.codes)


def finding_codes(role: str) -> frozenset[str]:
    return frozenset(c for s in FINDING_SECTIONS if s.role == role for c in s.codes)


def statement_codes(role: str) -> tuple[str, ...]:
    return tuple(code for code, _criterion in STATEMENTS[role])
