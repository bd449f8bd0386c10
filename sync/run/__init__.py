"""
The worker at run time: the convergence loop, its reads and writes, the runner, reports, history.
"""
