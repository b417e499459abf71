"""Pure patch algorithms on plain JSON values, shared by the API server (simulator/api/patch_handler.py)
and by kubectl's client side (apply's three-way patch, edit's two-way patch, `patch --local`):
RFC 7386 JSON merge patch (jsonmerge), RFC 6902 JSON patch (jsonpatch), strategic merge patch
(strategic: applying; strategic_diff: computing), and the Go formatting they print with (goish)."""
