"""Screening in the application: the eCRF forms that collect what the eligibility criteria read,
the live verdict of the core (``sclerocell.protocol.screen``), the screening log and the
investigator's electronic eligibility sign-off."""
