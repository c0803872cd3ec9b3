"""The warehouse pre-screen in the application: the ``prescreen`` and ``synth_omop`` commands and
a page where a site's staff run the pre-screen on their hospital's configured warehouse."""
