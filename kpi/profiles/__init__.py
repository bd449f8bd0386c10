"""
The built-in target profiles, one TOML file each (read by `kpi.targets.load_profiles`).
"""
