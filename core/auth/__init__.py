"""Users, password hashing, roles and permissions."""
