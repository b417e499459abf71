"""placeholder replaced below"""
def render_help(path): return ""
def render_usage(path): return ""
