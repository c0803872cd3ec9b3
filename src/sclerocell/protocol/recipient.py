"""The recipient criteria of the MSC-SSc protocol (CRITERIA.md R-I1…R-I5, R-V1…R-V3, R-E1…R-E11),
as one tree: the verdict, the inclusion group (all required) and the non-inclusion group (any one
excludes). French texts follow the synopsis; every open reading comes from the settings.
"""

from __future__ import annotations

from functools import cache

from sclerocell.clinical.classification import ACR_EULAR_2013_DOMAINS, ACR_EULAR_2013_THRESHOLD
from sclerocell.clinical.mrss import MAX_SITE_SCORE
from sclerocell.criteria.age import AgeAt
from sclerocell.criteria.base import Criterion
from sclerocell.criteria.clearance import ClearanceBelow
from sclerocell.criteria.exposure import TimeSinceLastExposure
from sclerocell.criteria.findings import Finding, Statement
from sclerocell.criteria.logic import AllOf, AnyOf, Ref, Verdict
from sclerocell.criteria.readings import Qualifier, RepeatedReadings
from sclerocell.criteria.scores import Applicability, Domain, ScoreItem, TotalOrItems, WeightedScore
from sclerocell.criteria.text import Text
from sclerocell.criteria.values import ChangeFromBaseline, UlnRatio
from sclerocell.criteria.windows import Window
from sclerocell.facts import codes
from sclerocell.facts.codes import MRSS_SITE_CODES
from sclerocell.facts.units import normalise
from sclerocell.protocol.common import (
    affiliated,
    contraception_if_needed,
    finding,
    latest,
    not_affiliated,
    pregnancy_or_no_contraception,
)
from sclerocell.protocol.settings import ProtocolSettings

# The ACR/EULAR items of sclerocell.clinical.classification, by fact code.
ACR_EULAR_ITEM_CODES: dict[str, str] = {
    "pulmonary_arterial_hypertension": "pah_rhc_confirmed",
    "interstitial_lung_disease": "ild_on_imaging",
}
ACR_EULAR_DOMAIN_LABELS: dict[str, Text] = {
    "skin_thickening_proximal": Text("épaississement proximal", "proximal thickening"),
    "skin_of_fingers": Text("peau des doigts", "skin of fingers"),
    "fingertip_lesions": Text("lésions pulpaires", "fingertip lesions"),
    "telangiectasia": Text("télangiectasies", "telangiectasia"),
    "nailfold_capillaries": Text("capillaroscopie", "nailfold capillaries"),
    "pah_ild": Text("HTAP/PID", "PAH/ILD"),
    "raynaud": Text("Raynaud", "Raynaud"),
    "autoantibodies": Text("auto-anticorps", "autoantibodies"),
}


def _acr_eular() -> WeightedScore:
    domains = tuple(
        Domain(
            d.id,
            ACR_EULAR_DOMAIN_LABELS[d.id],
            tuple(ScoreItem(ACR_EULAR_ITEM_CODES.get(i.field, i.field), i.weight) for i in d.items),
        )
        for d in ACR_EULAR_2013_DOMAINS
    )
    fingers = ("skin_thickening_proximal_to_mcp", "sclerodactyly")
    return WeightedScore(
        id="R-I2.acr_eular_2013",
        text=Text("Critères ACR/EULAR 2013 (score ≥ 9)", "2013 ACR/EULAR criteria (score ≥ 9)"),
        domains=domains,
        threshold=ACR_EULAR_2013_THRESHOLD,
        applicability=(
            Applicability("skin_thickening_sparing_fingers", fingers),
            Applicability("scleroderma_like_disorder_explains"),
        ),
    )


def _ara() -> WeightedScore:
    minor = Text("mineur", "minor")
    return WeightedScore(
        id="R-I2.ara_1980",
        text=Text(
            "Critères ARA 1980 (critère majeur, ou 2 critères mineurs sur 3)",
            "1980 ARA criteria (the major criterion, or 2 of the 3 minor criteria)",
        ),
        domains=(
            Domain("major", Text("majeur", "major"), (ScoreItem("proximal_scleroderma", 2),)),
            Domain("sclerodactyly", minor, (ScoreItem("sclerodactyly", 1),)),
            Domain("pitting", minor, (ScoreItem("digital_pitting_scars_or_pad_loss", 1),)),
            Domain("fibrosis", minor, (ScoreItem("bibasilar_pulmonary_fibrosis", 1),)),
        ),
        threshold=2,
        reading=Text(
            "Codé comme un score : critère majeur 2 points, chaque critère mineur 1 point, seuil 2",
            "Encoded as a score: the major criterion 2 points, each minor criterion 1, threshold 2",
        ),
    )


def _statement(id_: str, code: str) -> Statement:
    return Statement(id=id_, text=codes.label(code), code=code)


def _respiratory(s: ProtocolSettings) -> Criterion:
    recent = Window(s.recent_months)
    baseline = Window(18, 6)
    fvc_op = s.r_v1a_fvc_comparison
    fvc_reading = s.reading(
        "r_v1a_fvc_comparison",
        f"Signe perdu dans le synopsis ; lu CVF {'≤' if fvc_op == 'le' else '<'} 70 %",
        f"Sign lost in the synopsis; read FVC {'≤' if fvc_op == 'le' else '<'} 70 %",
    )
    relative = s.r_v1b_change == "relative"
    change_reading = s.reading(
        "r_v1b_change",
        "Baisse relative (référence − actuelle) / référence"
        if relative
        else "Baisse absolue en points de % de la théorique",
        "Relative fall (baseline − current) / baseline"
        if relative
        else "Absolute fall in % predicted points",
    )

    def change(id_: str, code: str, percent: int) -> ChangeFromBaseline:
        label = codes.label(code)
        return ChangeFromBaseline(
            id=id_,
            text=Text(
                f"Baisse de {label.fr} ≥ {percent} % par rapport à la valeur à 12 ± 6 mois",
                f"Fall of {label.en} ≥ {percent} % from the value 12 ± 6 months before",
            ),
            code=code,
            current_window=recent,
            baseline_window=baseline,
            target_months=12,
            mode=s.r_v1b_change,
            threshold=percent / 100 if relative else float(percent),
            reading=change_reading,
        )

    return AllOf(
        id="R-V1",
        text=Text(
            "Atteinte respiratoire : (altération des EFR ou aggravation) et atteinte "
            "interstitielle "
            "pulmonaire",
            "Respiratory involvement: (PFT impairment or decline) and interstitial lung disease",
        ),
        members=(
            AnyOf(
                id="R-V1.pft",
                text=Text("Altération ou aggravation des EFR", "PFT impairment or decline"),
                members=(
                    AnyOf(
                        id="R-V1a",
                        text=Text(
                            "DLCO < 60 % ou CVF ≤ 70 % de la valeur théorique",
                            "DLCO < 60 % or FVC ≤ 70 % predicted",
                        ),
                        members=(
                            latest("R-V1a.dlco", "dlco_pct_pred", recent, "lt", 60),
                            latest("R-V1a.fvc", "fvc_pct_pred", recent, fvc_op, 70, fvc_reading),
                        ),
                    ),
                    AnyOf(
                        id="R-V1b",
                        text=Text(
                            "Altération de la CVF et/ou CPT ≥ 10 % et/ou de la DLCO ≥ 15 % par "
                            "rapport à une valeur obtenue 12 ± 6 mois avant l'inclusion",
                            "Fall of FVC and/or TLC ≥ 10 % and/or DLCO ≥ 15 % from a value "
                            "measured 12 ± 6 months before inclusion",
                        ),
                        members=(
                            change("R-V1b.fvc", "fvc_pct_pred", 10),
                            change("R-V1b.tlc", "tlc_pct_pred", 10),
                            change("R-V1b.dlco", "dlco_pct_pred", 15),
                        ),
                    ),
                ),
            ),
            finding("R-V1.ild", "ild_on_imaging", s),
        ),
    )


def _cardiac(s: ProtocolSettings) -> Criterion:
    return AnyOf(
        id="R-V2",
        text=Text(
            "Atteinte cardiaque : insuffisance cardiaque congestive réversible, troubles du rythme "
            "récidivants, BAV du 2e ou 3e degré, ou épanchement péricardique traité",
            "Cardiac involvement: reversible congestive heart failure, recurrent rhythm disorder, "
            "2nd- or 3rd-degree AV block, or treated pericardial effusion",
        ),
        members=(
            finding("R-V2.heart_failure", "reversible_congestive_heart_failure", s),
            finding("R-V2.rhythm_disorder", "recurrent_rhythm_disorder", s),
            finding("R-V2.av_block", "av_block_2nd_3rd_degree", s),
            finding("R-V2.pericardial_effusion", "pericardial_effusion_treated", s),
        ),
    )


def _renal(s: ProtocolSettings) -> Criterion:
    sbp = "≥" if s.r_v3_sbp_comparison == "ge" else ">"
    latest_only = s.r_v3_recent_renal_insufficiency == "latest_creatinine_above_uln"
    return AnyOf(
        id="R-V3",
        text=Text(
            "Atteinte rénale : HTA, anomalie persistante du sédiment urinaire, anémie hémolytique "
            "par microangiopathie, ou insuffisance rénale récente",
            "Renal involvement: hypertension, persistent urinary sediment abnormality, "
            "microangiopathic haemolytic anaemia, or recent renal insufficiency",
        ),
        members=(
            RepeatedReadings(
                id="R-V3.hypertension",
                text=Text(
                    f"HTA : deux mesures à ≥ 12 h d'intervalle avec systolique {sbp} 160 mmHg "
                    "ou diastolique > 110 mmHg",
                    f"Hypertension: two readings ≥ 12 h apart with systolic {sbp} 160 mmHg or "
                    "diastolic > 110 mmHg",
                ),
                qualifiers=(
                    Qualifier("sbp", s.r_v3_sbp_comparison, 160),
                    Qualifier("dbp", "gt", 110),
                ),
                window=Window(s.blood_pressure_months),
                min_gap_hours=12,
                reading=s.reading(
                    "r_v3_sbp_comparison",
                    f"Signe perdu dans le synopsis ; lu systolique {sbp} 160 mmHg",
                    f"Sign lost in the synopsis; read systolic {sbp} 160 mmHg",
                ),
            ),
            finding("R-V3.urinary_sediment", "urinary_sediment_abnormality", s),
            finding("R-V3.microangiopathy", "microangiopathic_haemolytic_anaemia", s),
            UlnRatio(
                id="R-V3.recent_renal_insufficiency",
                text=Text(
                    "Insuffisance rénale récente (6 derniers mois)",
                    "Recent renal insufficiency (last 6 months)",
                ),
                code="creatinine",
                window=Window(6),
                factor=1.0,
                op="gt",
                min_count=1,
                latest_must_qualify=latest_only,
                reading=s.reading(
                    "r_v3_recent_renal_insufficiency",
                    "« Augmentation de la clairance au-dessus de la normale » est inversé ; lu : "
                    + (
                        "dernière créatininémie des 6 derniers mois > LSN"
                        if latest_only
                        else "une créatininémie des 6 derniers mois > LSN"
                    ),
                    "'Rise of clearance above normal' is inverted; read: "
                    + (
                        "the latest serum creatinine of the last 6 months > ULN"
                        if latest_only
                        else "a serum creatinine of the last 6 months > ULN"
                    ),
                ),
            ),
        ),
    )


def _non_ssc(organ: str, target: str, code: str, label: Text) -> Criterion:
    return AllOf(
        id=f"R-I3e.{organ}",
        text=label,
        members=(
            Ref(
                id=f"R-I3e.{organ}.involved",
                text=Text(f"Voir {target}", f"See {target}"),
                target=target,
            ),
            _statement(f"R-I3e.{organ}.excluded", code),
        ),
    )


def _inclusion(s: ProtocolSettings) -> Criterion:
    strict = s.r_i1_bounds == "strict"
    lo, hi = s.r_i1_age_min_years, s.r_i1_age_max_years
    sign_lo, sign_hi = (">", "<") if strict else ("≥", "≤")
    return AllOf(
        id="recipient.inclusion",
        text=Text("Critères d'inclusion (tous requis)", "Inclusion criteria (all required)"),
        members=(
            AgeAt(
                id="R-I1",
                text=Text(
                    f"Âge {sign_lo} {lo} ans et {sign_hi} {hi} ans",
                    f"Age {sign_lo} {lo} and {sign_hi} {hi} years",
                ),
                lower=lo,
                upper=hi,
                lower_inclusive=not strict,
                upper_inclusive=not strict,
                reading=s.reading(
                    "r_i1_bounds",
                    f"Bornes {'strictes' if strict else 'incluses'} {lo}–{hi} ans, âge en années "
                    "révolues",
                    f"{'Strict' if strict else 'Inclusive'} bounds {lo}–{hi} years, age in "
                    "completed years",
                ),
            ),
            AnyOf(
                id="R-I2",
                text=Text(
                    "Sclérodermie systémique selon les critères ARA 1980 et/ou ACR/EULAR 2013",
                    "Systemic sclerosis by the 1980 ARA and/or the 2013 ACR/EULAR criteria",
                ),
                members=(_acr_eular(), _ara()),
            ),
            AllOf(
                id="R-I3",
                text=Text(
                    "SSc de mauvais pronostic mettant en jeu le pronostic vital",
                    "Poor-prognosis, life-threatening SSc",
                ),
                members=(
                    AnyOf(
                        id="R-I3a",
                        text=Text(
                            "Résistance ou contre-indication aux immunosuppresseurs recommandés "
                            "dans "
                            "les formes sévères, ou atteinte pulmonaire fibrosante menaçant le "
                            "pronostic vital avec greffe pulmonaire exclue",
                            "Resistant or contraindicated to the immunosuppression recommended for "
                            "severe forms, or life-threatening fibrosing lung disease with lung "
                            "transplantation ruled out",
                        ),
                        members=(
                            _statement(
                                "R-I3a.refractory", "refractory_to_recommended_immunosuppression"
                            ),
                            _statement(
                                "R-I3a.contraindicated",
                                "contraindication_to_recommended_immunosuppression",
                            ),
                            AllOf(
                                id="R-I3a.lung",
                                text=Text(
                                    "Atteinte pulmonaire fibrosante menaçante, greffe pulmonaire "
                                    "exclue",
                                    "Life-threatening fibrosing lung disease, transplant ruled out",
                                ),
                                members=(
                                    _statement(
                                        "R-I3a.lung.life_threatening",
                                        "life_threatening_fibrosing_lung_disease",
                                    ),
                                    _statement(
                                        "R-I3a.lung.transplant_ruled_out",
                                        "lung_transplant_ruled_out",
                                    ),
                                ),
                            ),
                        ),
                    ),
                    TimeSinceLastExposure(
                        id="R-I3b",
                        text=Text(
                            "Au moins 6 mois depuis la fin du cyclophosphamide IV à fortes doses, "
                            "s'il a été donné",
                            "At least 6 months since the end of high-dose IV cyclophosphamide, "
                            "when "
                            "it was given",
                        ),
                        code="cyclophosphamide_iv_high_dose",
                        months=6,
                    ),
                    TotalOrItems(
                        id="R-I3c",
                        text=Text(
                            "Atteinte cutanée rapidement progressive avec score de Rodnan modifié "
                            "≥ 15",
                            "Rapidly progressive skin involvement with modified Rodnan skin score "
                            "≥ 15",
                        ),
                        total_code="mrss_total",
                        item_codes=MRSS_SITE_CODES,
                        item_max=MAX_SITE_SCORE,
                        threshold=15,
                        window=Window(s.recent_months),
                    ),
                    AnyOf(
                        id="R-I3d",
                        text=Text(
                            "Au moins une atteinte viscérale majeure (respiratoire, cardiaque ou "
                            "rénale)",
                            "At least one major visceral involvement (respiratory, cardiac or "
                            "renal)",
                        ),
                        members=(_respiratory(s), _cardiac(s), _renal(s)),
                    ),
                    AnyOf(
                        id="R-I3e",
                        text=Text(
                            "Étiologies non sclérodermiques de l'atteinte viscérale éliminées",
                            "Non-SSc causes of the visceral involvement excluded",
                        ),
                        members=(
                            _non_ssc(
                                "respiratory",
                                "R-V1",
                                "non_ssc_causes_excluded_respiratory",
                                Text(
                                    "Atteinte respiratoire et causes non SSc éliminées",
                                    "Respiratory involvement, non-SSc causes excluded",
                                ),
                            ),
                            _non_ssc(
                                "cardiac",
                                "R-V2",
                                "non_ssc_causes_excluded_cardiac",
                                Text(
                                    "Atteinte cardiaque et causes non SSc éliminées",
                                    "Cardiac involvement, non-SSc causes excluded",
                                ),
                            ),
                            _non_ssc(
                                "renal",
                                "R-V3",
                                "non_ssc_causes_excluded_renal",
                                Text(
                                    "Atteinte rénale et causes non SSc éliminées",
                                    "Renal involvement, non-SSc causes excluded",
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            AllOf(
                id="R-I4",
                text=Text(
                    "Donneur de CSM intrafamilial ou conjoint consentant ; affilié(e) à la "
                    "sécurité "
                    "sociale ; consentement éclairé signé",
                    "A consenting intrafamilial MSC donor or the spouse; affiliated to social "
                    "security; informed consent signed",
                ),
                members=(
                    Finding(
                        id="R-I4.donor",
                        text=codes.label("consenting_donor"),
                        codes=("consenting_donor",),
                    ),
                    affiliated("R-I4.social_security"),
                    _statement("R-I4.consent", "informed_consent"),
                ),
            ),
            contraception_if_needed(
                "R-I5",
                Text(
                    "Patiente en âge de procréer sous contraception efficace",
                    "A woman of childbearing potential uses effective contraception",
                ),
            ),
        ),
    )


def _respiratory_exclusion(s: ProtocolSettings) -> Criterion:
    recent = Window(s.recent_months)
    cardio = Window(s.cardiopulmonary_months)
    kpa = s.r_e2a_blood_gas_thresholds == "kpa"
    pao2 = normalise("pao2", 8, "kPa").value if kpa else 60.0
    paco2 = normalise("paco2", 6.7, "kPa").value if kpa else 50.0
    gas_reading = s.reading(
        "r_e2a_blood_gas_thresholds",
        "Seuils en kPa (8 et 6,7 kPa convertis en mmHg)" if kpa else "Seuils en mmHg (60 et 50)",
        "Thresholds in kPa (8 and 6.7 kPa converted to mmHg)"
        if kpa
        else "Thresholds in mmHg (60 and 50)",
    )
    return AnyOf(
        id="R-E2a",
        text=Text(
            "Atteinte respiratoire : HTAP (cathétérisme droit, PAPs > 40 mmHg à l'échographie ou "
            "PAPm > 25 mmHg), DLCO < 30 %, ou insuffisance respiratoire (PaO2 < 8 kPa et/ou "
            "PaCO2 > 6,7 kPa sans oxygène)",
            "Respiratory: PAH (right heart catheterisation, echo sPAP > 40 mmHg or mPAP > 25 "
            "mmHg), "
            "DLCO < 30 %, or respiratory failure (PaO2 < 8 kPa and/or PaCO2 > 6.7 kPa without "
            "oxygen)",
        ),
        members=(
            finding("R-E2a.pah_confirmed", "pah_rhc_confirmed", s),
            latest("R-E2a.echo_spap", "echo_spap", cardio, "gt", 40),
            latest(
                "R-E2a.mpap",
                "rhc_mpap",
                cardio,
                "gt",
                25,
                s.reading(
                    "r_e2a_mpap_without_catheterisation",
                    "Sans cathétérisme droit : "
                    + (
                        "inconnu"
                        if s.r_e2a_mpap_without_catheterisation == "unknown"
                        else "non rempli"
                    ),
                    "Without right heart catheterisation: "
                    + (
                        "unknown"
                        if s.r_e2a_mpap_without_catheterisation == "unknown"
                        else "not met"
                    ),
                ),
                missing=s.r_e2a_mpap_without_catheterisation,
            ),
            latest("R-E2a.dlco", "dlco_pct_pred", recent, "lt", 30),
            latest("R-E2a.pao2", "pao2", recent, "lt", pao2, gas_reading),
            latest("R-E2a.paco2", "paco2", recent, "gt", paco2, gas_reading),
        ),
    )


def _non_inclusion(s: ProtocolSettings) -> Criterion:
    recent = Window(s.recent_months)
    per_173 = s.r_e2b_clearance == "indexed_1_73_m2"
    two = s.r_e2d_reading == "two_measurements"
    liver_sign = "≥" if s.r_e2d_comparison == "ge" else ">"
    liver_reading = s.reading(
        "r_e2d_reading",
        f"{liver_sign} 3 × LSN sur au moins deux mesures dont la dernière"
        if two
        else f"Dernière mesure {liver_sign} 3 × LSN",
        f"{liver_sign} 3 × ULN on at least two measurements, the latest included"
        if two
        else f"Latest measurement {liver_sign} 3 × ULN",
    )

    def liver(code: str) -> UlnRatio:
        label = codes.label(code)
        return UlnRatio(
            id=f"R-E2d.{code}",
            text=Text(
                f"{label.fr} {liver_sign} 3 × LSN persistante",
                f"{label.en} persistently {liver_sign} 3 × ULN",
            ),
            code=code,
            window=Window(s.liver_tests_months),
            factor=3.0,
            op=s.r_e2d_comparison,
            min_count=2 if two else 1,
            latest_must_qualify=True,
            reading=liver_reading,
        )

    def any_of(id_: str, fr: str, en: str, *members: Criterion) -> Criterion:
        return AnyOf(id=id_, text=Text(fr, en), members=members)

    return AnyOf(
        id="recipient.non_inclusion",
        text=Text(
            "Critères de non-inclusion (un seul exclut)",
            "Non-inclusion criteria (any one excludes)",
        ),
        members=(
            pregnancy_or_no_contraception(
                "R-E1",
                Text(
                    "Grossesse ou absence de contraception adaptée pendant la durée de l'étude",
                    "Pregnancy, or no adequate contraception for the study duration",
                ),
                s,
            ),
            any_of(
                "R-E2",
                "Affection(s) concomitante(s) sévère(s)",
                "Severe concomitant disease",
                _respiratory_exclusion(s),
                any_of(
                    "R-E2b",
                    "Atteinte rénale : clairance calculée de la créatinine < 20 mL/min/m² ; "
                    "cystopathie séquellaire post-cyclophosphamide",
                    "Renal: calculated creatinine clearance < 20 mL/min/m²; sequelae of "
                    "cyclophosphamide cystitis",
                    ClearanceBelow(
                        id="R-E2b.clearance",
                        text=Text(
                            "Clairance calculée de la créatinine < 20 mL/min/m²",
                            "Calculated creatinine clearance < 20 mL/min/m²",
                        ),
                        threshold=20,
                        indexing=s.r_e2b_clearance,
                        lab_window=recent,
                        height_window=Window(s.height_months),
                        reading=s.reading(
                            "r_e2b_clearance",
                            "Cockcroft–Gault indexée à 1,73 m² (Mosteller)"
                            if per_173
                            else "Cockcroft–Gault par m² de surface corporelle (Mosteller)",
                            "Cockcroft–Gault indexed to 1.73 m² (Mosteller)"
                            if per_173
                            else "Cockcroft–Gault per m² of body surface area (Mosteller)",
                        ),
                    ),
                    finding("R-E2b.cystitis", "cyclophosphamide_cystitis_sequelae", s),
                ),
                any_of(
                    "R-E2c",
                    "Atteinte cardiaque : insuffisance cardiaque congestive réfractaire ; FEVG < "
                    "35 % ; "
                    "arythmie ventriculaire non contrôlée ; épanchement péricardique avec "
                    "retentissement hémodynamique",
                    "Cardiac: refractory congestive heart failure; LVEF < 35 %; uncontrolled "
                    "ventricular arrhythmia; pericardial effusion with haemodynamic impact",
                    finding(
                        "R-E2c.heart_failure",
                        "refractory_congestive_heart_failure",
                        s,
                        mode="latest",
                    ),
                    latest("R-E2c.lvef", "lvef", Window(s.cardiopulmonary_months), "lt", 35),
                    finding(
                        "R-E2c.arrhythmia", "uncontrolled_ventricular_arrhythmia", s, mode="latest"
                    ),
                    finding(
                        "R-E2c.pericardial_effusion",
                        "pericardial_effusion_haemodynamic",
                        s,
                        mode="latest",
                    ),
                ),
                any_of(
                    "R-E2d",
                    "Atteinte hépatique : augmentation persistante des transaminases ou de la "
                    "bilirubine à 3 fois la normale",
                    "Hepatic: persistent rise of transaminases or bilirubin to 3 × the upper limit "
                    "of normal",
                    liver("alt"),
                    liver("ast"),
                    liver("bilirubin"),
                ),
            ),
            _statement("R-E3", "uncontrolled_psychiatric_disorder"),
            any_of(
                "R-E4",
                "Néoplasie active ou myélodysplasie concomitante, tout antécédent de néoplasie",
                "Active neoplasia or concomitant myelodysplasia, or any history of neoplasia",
                finding("R-E4.history", "neoplasia_history", s),
                finding("R-E4.active", "active_neoplasia", s, mode="latest"),
                finding("R-E4.myelodysplasia", "myelodysplasia", s, mode="latest"),
            ),
            any_of(
                "R-E5",
                "Insuffisance médullaire : PNN < 0,5 × 10⁹/L, plaquettes < 50 × 10⁹/L, "
                "hémoglobine < 8 g/dL, CD4 < 200 × 10⁶/L",
                "Marrow insufficiency: neutrophils < 0.5 × 10⁹/L, platelets < 50 × 10⁹/L, "
                "haemoglobin < 8 g/dL, CD4 < 200 × 10⁶/L",
                latest("R-E5.neutrophils", "neutrophils", recent, "lt", 0.5),
                latest("R-E5.platelets", "platelets", recent, "lt", 50),
                latest("R-E5.haemoglobin", "haemoglobin", recent, "lt", 8),
                latest("R-E5.cd4", "cd4", recent, "lt", 200),
            ),
            finding("R-E6", "uncontrolled_hypertension", s, mode="latest"),
            any_of(
                "R-E7",
                "Infection aiguë ou chronique non contrôlée, séropositivité VIH 1, 2 ou HTLV 1, 2",
                "Uncontrolled acute or chronic infection; HIV-1/2 or HTLV-1/2 seropositivity",
                finding("R-E7.infection", "uncontrolled_infection", s, mode="latest"),
                finding("R-E7.hiv", "hiv_serology", s, mode="latest"),
                finding("R-E7.htlv", "htlv_serology", s, mode="latest"),
            ),
            any_of(
                "R-E8",
                "Hépatite chronique B ou C active",
                "Active chronic hepatitis B or C",
                finding("R-E8.hepatitis_b", "active_chronic_hepatitis_b", s, mode="latest"),
                finding("R-E8.hepatitis_c", "active_chronic_hepatitis_c", s, mode="latest"),
            ),
            any_of(
                "R-E9",
                "Exposition significative à la bléomycine, aux huiles toxiques, au chlorure de "
                "vinyle, au trichloréthylène ou à la silice ; syndrome myalgie-éosinophilie ; "
                "fasciite à éosinophiles",
                "Significant exposure to bleomycin, toxic oils, vinyl chloride, trichloroethylene "
                "or silica; eosinophilia–myalgia syndrome; eosinophilic fasciitis",
                *(
                    finding(f"R-E9.{c.removeprefix('exposure_')}", c, s)
                    for c in (
                        "exposure_bleomycin",
                        "exposure_toxic_oil",
                        "exposure_vinyl_chloride",
                        "exposure_trichloroethylene",
                        "exposure_silica",
                        "eosinophilia_myalgia_syndrome",
                        "eosinophilic_fasciitis",
                    )
                ),
            ),
            _statement("R-E10", "poor_compliance_risk"),
            not_affiliated(
                "R-E11", Text("Patient sans couverture sociale", "No social security coverage")
            ),
        ),
    )


@cache
def recipient_criteria(settings: ProtocolSettings) -> Criterion:
    """The recipient tree for these settings (built once per settings)."""
    return Verdict(
        id="recipient",
        text=Text("Receveur éligible", "Recipient eligible"),
        inclusion=_inclusion(settings),
        non_inclusion=_non_inclusion(settings),
    )
