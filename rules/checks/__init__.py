"""
The rules of domain spec §3.1, one rule family per module.
"""
