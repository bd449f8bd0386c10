"""
The demo and rehearsals: generated data, a whole run on the emulator, people editing meanwhile.
"""
