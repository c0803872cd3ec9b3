"""The fact-code vocabulary: every code the protocol reads, with its kind, canonical unit and
French/English label. Codes are stable (stored, exported, mapped from OMOP concepts later).

Kinds:
- ``attribute``   a person attribute (sex, month of birth, childbearing potential…)
- ``measurement`` a number in the code's canonical unit (``unit``; from ``analyte`` of
  :mod:`sclerocell.clinical.units` when it has one)
- ``finding``     a condition, history item, exam finding or qualitative test: 1 present /
  positive, 0 recorded absent / negative
- ``exposure``    a drug course: 1 given (dated on the end of the course), 0 never given
- ``statement``   an investigator's answer to a question no data can decide: 1 yes, 0 no
- ``consent``     an informed consent: 1 signed (dated when signed), 0 refused
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from sclerocell.clinical import mrss
from sclerocell.clinical.units import canonical_unit
from sclerocell.criteria.text import Text

Kind = Literal["attribute", "measurement", "finding", "exposure", "statement", "consent"]
ValueType = Literal["num", "bool", "text", "month"]


@dataclass(frozen=True, slots=True)
class FactCode:
    code: str
    kind: Kind
    value: ValueType
    label: Text
    unit: str | None = None
    analyte: str | None = None  # the analyte of sclerocell.clinical.units, for conversions
    choices: tuple[str, ...] = ()  # allowed value_text for text attributes


def _m(
    code: str, fr: str, en: str, *, analyte: str | None = None, unit: str | None = None
) -> FactCode:
    chosen = canonical_unit(analyte) if analyte else unit
    return FactCode(code, "measurement", "num", Text(fr, en), unit=chosen, analyte=analyte)


def _f(code: str, fr: str, en: str) -> FactCode:
    return FactCode(code, "finding", "bool", Text(fr, en))


def _s(code: str, fr: str, en: str) -> FactCode:
    return FactCode(code, "statement", "bool", Text(fr, en))


SEXES = ("F", "M")
RELATIONSHIPS = ("sibling", "parent", "child", "cousin", "other_family", "spouse", "unrelated")

_MRSS_SITES: tuple[FactCode, ...] = tuple(
    FactCode(
        f"mrss_{site.id}",
        "measurement",
        "num",
        Text(f"mRSS {site.label_fr.lower()}", f"mRSS {site.label_en.lower()}"),
        unit="points",
    )
    for site in mrss.SITES
)
MRSS_SITE_CODES: tuple[str, ...] = tuple(c.code for c in _MRSS_SITES)

_ALL: tuple[FactCode, ...] = (
    # Person attributes
    FactCode("sex", "attribute", "text", Text("sexe", "sex"), choices=SEXES),
    FactCode("birth_month", "attribute", "month", Text("mois de naissance", "month of birth")),
    FactCode(
        "childbearing_potential",
        "attribute",
        "bool",
        Text("en âge de procréer", "of childbearing potential"),
    ),
    FactCode(
        "effective_contraception",
        "attribute",
        "bool",
        Text("contraception efficace", "effective contraception"),
    ),
    FactCode(
        "social_security",
        "attribute",
        "bool",
        Text("affiliation à un régime de sécurité sociale", "affiliated to social security"),
    ),
    FactCode(
        "donor_relationship",
        "attribute",
        "text",
        Text("lien du donneur avec le receveur", "donor's relationship to the recipient"),
        choices=RELATIONSHIPS,
    ),
    FactCode(
        "consenting_donor",
        "attribute",
        "bool",
        Text(
            "donneur intrafamilial ou conjoint consentant",
            "consenting intrafamilial donor or spouse",
        ),
    ),
    # Pulmonary function, blood gases, haemodynamics
    _m("dlco_pct_pred", "DLCO (% de la théorique)", "DLCO (% predicted)", analyte="dlco"),
    _m("fvc_pct_pred", "CVF (% de la théorique)", "FVC (% predicted)", analyte="fvc"),
    _m("tlc_pct_pred", "CPT (% de la théorique)", "TLC (% predicted)", analyte="tlc"),
    _m("pao2", "PaO2 au repos sans oxygène", "PaO2 at rest without oxygen", analyte="pao2"),
    _m("paco2", "PaCO2 au repos sans oxygène", "PaCO2 at rest without oxygen", analyte="paco2"),
    _m(
        "echo_spap",
        "PAP systolique à l'échographie",
        "systolic PAP on echocardiography",
        analyte="spap",
    ),
    _m(
        "rhc_mpap",
        "PAP moyenne au cathétérisme droit",
        "mean PAP at right heart catheterisation",
        analyte="mpap",
    ),
    _m(
        "rhc_pawp",
        "pression capillaire au cathétérisme droit",
        "PAWP at right heart catheterisation",
        analyte="pawp",
    ),
    _m("rhc_pvr", "RVP au cathétérisme droit", "PVR at right heart catheterisation", analyte="pvr"),
    _m(
        "lvef",
        "FEVG (scintigraphie ou échographie)",
        "LVEF (scintigraphy or echocardiography)",
        analyte="lvef",
    ),
    # Vital signs and body size
    _m("sbp", "pression artérielle systolique", "systolic blood pressure", analyte="systolic_bp"),
    _m(
        "dbp", "pression artérielle diastolique", "diastolic blood pressure", analyte="diastolic_bp"
    ),
    _m("weight", "poids", "weight", analyte="weight"),
    _m("height", "taille", "height", analyte="height"),
    # Laboratory
    _m("creatinine", "créatininémie", "serum creatinine", analyte="creatinine"),
    _m("alt", "ALAT", "ALT", analyte="alt"),
    _m("ast", "ASAT", "AST", analyte="ast"),
    _m("bilirubin", "bilirubine totale", "total bilirubin", analyte="bilirubin"),
    _m("neutrophils", "polynucléaires neutrophiles", "neutrophils", analyte="neutrophils"),
    _m("platelets", "plaquettes", "platelets", analyte="platelets"),
    _m("haemoglobin", "hémoglobine", "haemoglobin", analyte="haemoglobin"),
    _m("cd4", "lymphocytes CD4", "CD4 lymphocytes", analyte="cd4_lymphocytes"),
    # Skin score
    _m(
        "mrss_total",
        "score de Rodnan modifié (total)",
        "modified Rodnan skin score (total)",
        unit="points",
    ),
    *_MRSS_SITES,
    # Classification items (ACR/EULAR 2013, ARA 1980)
    _f(
        "skin_thickening_proximal_to_mcp",
        "épaississement cutané des doigts des deux mains en amont des MCP",
        "skin thickening of the fingers of both hands proximal to the MCP joints",
    ),
    _f("puffy_fingers", "doigts boudinés", "puffy fingers"),
    _f("sclerodactyly", "sclérodactylie", "sclerodactyly"),
    _f("digital_tip_ulcers", "ulcères pulpaires digitaux", "digital tip ulcers"),
    _f("fingertip_pitting_scars", "cicatrices pulpaires déprimées", "fingertip pitting scars"),
    _f("telangiectasia", "télangiectasies", "telangiectasia"),
    _f(
        "abnormal_nailfold_capillaries",
        "anomalies capillaroscopiques",
        "abnormal nailfold capillaries",
    ),
    _f("raynaud_phenomenon", "phénomène de Raynaud", "Raynaud's phenomenon"),
    _f("anticentromere", "anticorps anticentromère", "anticentromere antibodies"),
    _f(
        "anti_topoisomerase_i",
        "anticorps anti-topoisomérase I (Scl-70)",
        "anti-topoisomerase I (Scl-70) antibodies",
    ),
    _f(
        "anti_rna_polymerase_iii",
        "anticorps anti-ARN polymérase III",
        "anti-RNA polymerase III antibodies",
    ),
    _f(
        "skin_thickening_sparing_fingers",
        "épaississement cutané épargnant les doigts",
        "skin thickening sparing the fingers",
    ),
    _f(
        "scleroderma_like_disorder_explains",
        "affection sclérodermiforme expliquant les signes",
        "scleroderma-like disorder explaining the findings",
    ),
    _f(
        "proximal_scleroderma",
        "sclérodermie proximale (critère majeur ARA)",
        "proximal scleroderma (ARA major criterion)",
    ),
    _f(
        "digital_pitting_scars_or_pad_loss",
        "cicatrices déprimées ou perte de substance pulpaire",
        "digital pitting scars or loss of finger-pad substance",
    ),
    _f(
        "bibasilar_pulmonary_fibrosis",
        "fibrose pulmonaire bibasale (radiographie)",
        "bibasilar pulmonary fibrosis (chest X-ray)",
    ),
    # Visceral involvement
    _f(
        "ild_on_imaging",
        "atteinte interstitielle pulmonaire (radiographie ou TDM haute résolution)",
        "interstitial lung disease (chest X-ray or HRCT)",
    ),
    _f(
        "reversible_congestive_heart_failure",
        "insuffisance cardiaque congestive réversible",
        "reversible congestive heart failure",
    ),
    _f(
        "recurrent_rhythm_disorder",
        "troubles du rythme auriculaire ou ventriculaire récidivants",
        "recurrent atrial or ventricular rhythm disorder",
    ),
    _f(
        "av_block_2nd_3rd_degree",
        "bloc auriculo-ventriculaire du 2e ou 3e degré",
        "2nd- or 3rd-degree atrioventricular block",
    ),
    _f(
        "pericardial_effusion_treated",
        "épanchement péricardique ayant nécessité un traitement spécifique",
        "pericardial effusion that required specific treatment",
    ),
    _f(
        "urinary_sediment_abnormality",
        "anomalie persistante du sédiment urinaire",
        "persistent urinary sediment abnormality",
    ),
    _f(
        "microangiopathic_haemolytic_anaemia",
        "anémie hémolytique par microangiopathie thrombotique",
        "microangiopathic haemolytic anaemia",
    ),
    # Non-inclusion findings
    _f("pregnancy", "grossesse (test)", "pregnancy (test)"),
    _f(
        "pah_rhc_confirmed",
        "HTAP confirmée par cathétérisme droit",
        "PAH confirmed by right heart catheterisation",
    ),
    _f(
        "cyclophosphamide_cystitis_sequelae",
        "cystopathie séquellaire post-cyclophosphamide",
        "sequelae of cyclophosphamide cystitis",
    ),
    _f(
        "refractory_congestive_heart_failure",
        "insuffisance cardiaque congestive réfractaire",
        "refractory congestive heart failure",
    ),
    _f(
        "uncontrolled_ventricular_arrhythmia",
        "arythmie ventriculaire non contrôlée",
        "uncontrolled ventricular arrhythmia",
    ),
    _f(
        "pericardial_effusion_haemodynamic",
        "épanchement péricardique avec retentissement hémodynamique",
        "pericardial effusion with haemodynamic impact",
    ),
    _f("neoplasia_history", "antécédent de néoplasie", "history of neoplasia"),
    _f("active_neoplasia", "néoplasie active", "active neoplasia"),
    _f("myelodysplasia", "myélodysplasie", "myelodysplasia"),
    _f(
        "uncontrolled_hypertension",
        "hypertension artérielle systémique non contrôlée",
        "uncontrolled systemic hypertension",
    ),
    _f(
        "uncontrolled_infection",
        "infection aiguë ou chronique non contrôlée",
        "uncontrolled acute or chronic infection",
    ),
    _f("hiv_serology", "sérologie VIH 1/2", "HIV-1/2 serology"),
    _f("htlv_serology", "sérologie HTLV 1/2", "HTLV-1/2 serology"),
    _f("hbs_antigen", "antigène HBs", "HBs antigen"),
    _f("hcv_serology", "sérologie VHC", "HCV serology"),
    _f("syphilis_serology", "sérologie syphilis", "syphilis serology"),
    _f("hiv_pcr", "PCR VIH", "HIV PCR"),
    _f("hcv_pcr", "PCR VHC", "HCV PCR"),
    _f("hbv_pcr", "PCR VHB", "HBV PCR"),
    _f("active_chronic_hepatitis_b", "hépatite chronique B active", "active chronic hepatitis B"),
    _f("active_chronic_hepatitis_c", "hépatite chronique C active", "active chronic hepatitis C"),
    _f(
        "exposure_bleomycin",
        "exposition significative à la bléomycine",
        "significant exposure to bleomycin",
    ),
    _f(
        "exposure_toxic_oil",
        "exposition significative aux huiles toxiques",
        "significant exposure to toxic oils",
    ),
    _f(
        "exposure_vinyl_chloride",
        "exposition significative au chlorure de vinyle",
        "significant exposure to vinyl chloride",
    ),
    _f(
        "exposure_trichloroethylene",
        "exposition significative au trichloréthylène",
        "significant exposure to trichloroethylene",
    ),
    _f("exposure_silica", "exposition significative à la silice", "significant exposure to silica"),
    _f(
        "eosinophilia_myalgia_syndrome",
        "syndrome myalgie-éosinophilie",
        "eosinophilia–myalgia syndrome",
    ),
    _f("eosinophilic_fasciitis", "fasciite à éosinophiles", "eosinophilic fasciitis"),
    _f(
        "xylocaine_allergy",
        "antécédent allergique à la Xylocaïne",
        "history of allergy to Xylocaine (lidocaine)",
    ),
    # Drug courses
    FactCode(
        "cyclophosphamide_iv_high_dose",
        "exposure",
        "bool",
        Text("cyclophosphamide IV à fortes doses", "high-dose IV cyclophosphamide"),
    ),
    # Investigator statements
    _s(
        "refractory_to_recommended_immunosuppression",
        "résistance au traitement immunosuppresseur recommandé (cyclophosphamide IV à fortes "
        "doses ou intensification avec autogreffe)",
        "resistant to the recommended immunosuppression (high-dose IV cyclophosphamide or "
        "intensification with autologous HSCT)",
    ),
    _s(
        "contraindication_to_recommended_immunosuppression",
        "contre-indication au traitement immunosuppresseur recommandé",
        "contraindication to the recommended immunosuppression",
    ),
    _s(
        "life_threatening_fibrosing_lung_disease",
        "atteinte pulmonaire fibrosante menaçant le pronostic vital",
        "life-threatening fibrosing lung disease",
    ),
    _s("lung_transplant_ruled_out", "greffe pulmonaire exclue", "lung transplantation ruled out"),
    _s(
        "non_ssc_causes_excluded_respiratory",
        "causes non sclérodermiques de l'atteinte respiratoire éliminées",
        "non-SSc causes of the respiratory involvement excluded",
    ),
    _s(
        "non_ssc_causes_excluded_cardiac",
        "causes non sclérodermiques de l'atteinte cardiaque éliminées",
        "non-SSc causes of the cardiac involvement excluded",
    ),
    _s(
        "non_ssc_causes_excluded_renal",
        "causes non sclérodermiques de l'atteinte rénale éliminées",
        "non-SSc causes of the renal involvement excluded",
    ),
    _s(
        "uncontrolled_psychiatric_disorder",
        "trouble psychiatrique non contrôlé empêchant un consentement libre et éclairé",
        "uncontrolled psychiatric disorder preventing free and informed consent",
    ),
    _s("poor_compliance_risk", "risque de mauvaise compliance", "risk of poor compliance"),
    _s(
        "donation_contraindication_other",
        "autre contre-indication habituelle au don de moelle ou de sang",
        "other usual contraindication to marrow or blood donation",
    ),
    # Consent
    FactCode(
        "informed_consent",
        "consent",
        "bool",
        Text("consentement éclairé signé", "informed consent signed"),
    ),
)

CODES: Mapping[str, FactCode] = MappingProxyType({c.code: c for c in _ALL})
if len(CODES) != len(_ALL):  # pragma: no cover - guarded by a test too
    raise RuntimeError("duplicate fact code")


def get(code: str) -> FactCode:
    """The definition of ``code``; ``KeyError`` for a code outside the vocabulary."""
    return CODES[code]


def label(code: str) -> Text:
    return CODES[code].label
