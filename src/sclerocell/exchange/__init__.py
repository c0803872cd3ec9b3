"""Exchange formats: analysis tables, CDISC ODM and SDTM with define.xml, HL7 FHIR."""
