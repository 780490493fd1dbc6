"""CSV export and import of customers and invoices (one column list per kind, shared by both)."""
