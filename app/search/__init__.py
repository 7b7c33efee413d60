"""Thai-aware search over meetings, agenda items and minutes (PyThaiNLP segmentation, LIKE on tokens)."""
