"""The cell-product chain of the web shell: harvest, batch, release, label, bedside check,
infusion, the recipient's timeline and the feasibility counts (core: ``sclerocell.product``)."""
