"""sclerocell: runs the MSC-SSc cell-therapy trial."""
