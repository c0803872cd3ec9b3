"""Hand-made clinical records for the SDTM, define.xml and FHIR tests.

Two recipients at two sites. 01-R001-7 was infused on 2015-04-15 (study day 1) at dose level 1,
has a baseline the day before (day -1), a D10 visit (day 11), two adverse events (one serious)
and screening history; 02-R001-3 was included but not infused and withdrew.
"""

from __future__ import annotations

import datetime

from sclerocell.exchange.clinical_records import (
    AdverseEvent,
    ClinicalData,
    DoseLevel,
    Exposure,
    Finding,
    MedicalHistory,
    QuestionnaireItem,
    Study,
    StudySite,
    Subject,
)

D = datetime.date
UTC = datetime.UTC
INFUSED = D(2015, 4, 15)
A = "01-R001-7"
B = "02-R001-3"
SITE_A = StudySite(1, "Centre A", "Paris")
SITE_B = StudySite(2, "Centre B", "Lyon")


def sample() -> ClinicalData:
    return ClinicalData(
        study=Study(sites=(SITE_A, SITE_B), protocol_version="v3.0"),
        subjects=(
            Subject(
                A,
                SITE_A,
                "F",
                1970,
                6,
                screening_date=D(2015, 3, 2),
                consent_date=D(2015, 3, 2),
                eligibility_date=D(2015, 3, 16),
                inclusion_date=D(2015, 4, 1),
                infusion_date=INFUSED,
                dose=DoseLevel(1, 1e6),
            ),
            Subject(
                B,
                SITE_B,
                "M",
                1961,
                11,
                screening_date=D(2015, 5, 4),
                consent_date=D(2015, 5, 4),
                inclusion_date=D(2015, 6, 1),
                end_date=D(2015, 7, 1),
                end_cause="withdrawal",
                dose=DoseLevel(2, 2e6),
            ),
        ),
        exposures=(
            Exposure(
                A,
                datetime.datetime(2015, 4, 15, 7, 40, tzinfo=UTC),
                datetime.datetime(2015, 4, 15, 8, 20, tzinfo=UTC),
                dose_cells_per_kg=1.02e6,
                cells_infused=71_400_000,
                volume_ml=50.0,
                weight_kg=70.0,
                batch="L2015-01R0017",
                target_cells_per_kg=1e6,
            ),
        ),
        adverse_events=(
            AdverseEvent(
                A,
                1,
                "Infusion related reaction",
                1,
                INFUSED,
                meddra_code="10051792",
                soc="General disorders and administration site conditions",
                end_date=INFUSED,
                outcome="recovered",
                relation_to_msc="probable",
                action_taken="slowed",
            ),
            AdverseEvent(
                A,
                2,
                "Lung infection",
                3,
                D(2015, 5, 5),
                meddra_code="10061229",
                soc="Infections and infestations",
                outcome="recovering",
                relation_to_msc="possible",
                seriousness=frozenset({"hospitalisation"}),
            ),
        ),
        findings=(
            Finding(A, "vital", "systolic_bp", 122, "mmHg", D(2015, 4, 14), "BL"),
            Finding(A, "vital", "weight", 70.5, "kg", D(2015, 4, 14), "BL"),
            Finding(A, "vital", "heart_rate", 76, "/min", INFUSED, "INF", timepoint="before"),
            Finding(A, "vital", "temperature", 36.8, "°C", INFUSED, "INF", timepoint="after"),
            Finding(
                A,
                "lab",
                "creatinine",
                70.736,
                "µmol/L",
                D(2015, 4, 14),
                "BL",
                original_value=0.8,
                original_unit="mg/dL",
                low=44.21,
                high=97.262,
                original_low=0.5,
                original_high=1.1,
            ),
            Finding(A, "lab", "platelets", 450, "10⁹/L", D(2015, 4, 25), "D10", low=150, high=400),
            Finding(A, "function", "fvc_pct_pred", 68.5, "%", D(2015, 4, 14), "BL"),
            Finding(A, "function", "dlco_pct_pred", 41, "%", D(2015, 4, 14), "BL"),
            Finding(A, "skin", "mrss_total", 24, "points", D(2015, 4, 14), "BL"),
        ),
        questionnaires=(
            QuestionnaireItem(
                A,
                "HAQ-DI",
                "dress",
                "Dress yourself, including shoelaces and buttons",
                2,
                D(2015, 4, 14),
                "BL",
                "Dressing and grooming",
            ),
            QuestionnaireItem(
                A, "HAQ-DI", "aids_grip", "Aids or help: Grip", 1, D(2015, 4, 14), "BL", "Grip"
            ),
        ),
        history=(
            MedicalHistory(
                A,
                "Systemic sclerosis",
                "systemic_sclerosis",
                "PRIMARY DIAGNOSIS",
                True,
                D(2015, 3, 2),
            ),
            MedicalHistory(
                A,
                "Raynaud's phenomenon",
                "raynaud_phenomenon",
                "SSC CLASSIFICATION",
                True,
                D(2015, 3, 2),
            ),
            MedicalHistory(
                A,
                "Interstitial lung disease on imaging",
                "ild_on_imaging",
                "ORGAN INVOLVEMENT",
                False,
                D(2015, 3, 2),
            ),
            MedicalHistory(
                B,
                "Systemic sclerosis",
                "systemic_sclerosis",
                "PRIMARY DIAGNOSIS",
                True,
                D(2015, 5, 4),
            ),
        ),
    )
