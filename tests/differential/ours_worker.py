"""Worker for ours.py: one JSON request per stdin line, one JSON reply per stdout line."""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    # The protocol gets its own copy of stdout; fd 1 then points at stderr, so a print or a
    # native printf in code under test can't corrupt a reply.
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import neurojit
    from neurojit.runtime import upstream

    def no_fallback(*_args: object, **_kwargs: object) -> str:
        # Until neurojit/lowering.py exists, compile_module falls back to upstream's tools.
        # A differential test through that fallback would compare upstream with itself.
        raise RuntimeError("compile_module used the upstream fallback, not our lowering")

    upstream.upstream_llvm_ir = no_fallback  # type: ignore[assignment]
    for line in sys.stdin:
        request = json.loads(line)
        frontend = request.get("frontend")
        try:
            module = neurojit.compile(
                request["text"],
                name=request["name"],
                checks=request.get("checks", True),
                opt_level=request.get("opt_level", 2),
                frontend=frontend,
            )
            reply = {"value": int(module.main()), "frontend": module.frontend}
        except Exception as err:  # noqa: BLE001 - every failure is reported, not raised
            reply = {"error": f"{type(err).__name__}: {err}"[:3000], "frontend": frontend}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
