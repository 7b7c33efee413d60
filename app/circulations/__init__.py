"""Resolutions by circulation (มติเวียน): a matter sent to a body's members between meetings for their answer."""
