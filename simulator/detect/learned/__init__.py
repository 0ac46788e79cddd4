"""The learned layer of the detector: an n-gram model and a small encoder trained on the labelled corpus."""
