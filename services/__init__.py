"""Transactional modules of Sportello, one Django app per domain (see DESIGN §3)."""
