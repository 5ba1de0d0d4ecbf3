"""Reader features: what the book adds to the stock Sphinx output for its readers
(reference style, shared facts, handouts, downloads, search, page weight)."""
