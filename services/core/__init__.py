"""Small shared kernel. Imports no other project app."""
