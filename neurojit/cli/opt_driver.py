"""The `neurojit-opt` driver proper: xDSL's `xDSLOptMain` with NeuroJIT's dialects, passes,
targets, error reporting and MLIR-style `--verify-diagnostics`.

Imported only when there is work to do (not for `--help`): importing xDSL is most of the
start-up cost.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from collections.abc import Callable
from typing import IO, NoReturn

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException
from xdsl.xdsl_opt_main import xDSLOptMain

from neurojit import registry
from neurojit.cli.verify_diagnostics import Diagnostic, check, parse_expectations
from neurojit.errors import NeuroJITError, UsageError
from neurojit.ir import SourceError, parse_module, register_dialects, verify_module
from neurojit.limits import read_source, read_stdin

# MLIR's split marker: a line that starts with `// -----`.
_SPLIT = re.compile(r"^// -----.*$", re.MULTILINE)


def xdsl_pass_factories() -> dict[str, Callable[[], type[ModulePass]]]:
    from xdsl.transforms import get_all_passes

    return get_all_passes()


def all_pass_names() -> set[str]:
    return set(xdsl_pass_factories()) | set(registry.PASSES)


def _registry_target(spec: str) -> Callable[[ModuleOp, IO[str]], None]:
    """Adapt a TARGETS row: an xDSL `Target` class, or a function `(ModuleOp) -> str`."""

    def emit(module: ModuleOp, out: IO[str]) -> None:
        from xdsl.context import Context
        from xdsl.utils.target import Target

        target = registry.load(spec)
        if isinstance(target, type) and issubclass(target, Target):
            target().emit(Context(), module, out)
            return
        text = target(module)
        out.write(text if text.endswith("\n") else text + "\n")

    return emit


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


class NeuroJITOptMain(xDSLOptMain):
    """xdsl-opt plus the `neurojit` dialect, NeuroJIT's passes and targets, and upstream-style
    diagnostics. `run()` returns the exit code instead of raising."""

    version_format = "neurojit-opt (NeuroJIT) built on xDSL {xdsl_version}"

    def register_all_dialects(self) -> None:
        register_dialects(self.ctx)

    def register_all_passes(self) -> None:
        for name, factory in xdsl_pass_factories().items():
            self.register_pass(name, factory)
        # Ours come second so that a NeuroJIT pass replaces xDSL's of the same name
        # (e.g. convert-scf-to-cf, which here also lowers scf.while).
        for name, factory in registry.pass_loaders().items():
            self.register_pass(name, factory)

    def register_all_targets(self) -> None:
        from xdsl.targets import get_all_targets

        for name, factory in get_all_targets().items():
            self.available_targets[name] = factory
        for name, spec in registry.TARGETS.items():
            self.available_targets[name] = _registry_target(spec)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.error = self._usage_error  # type: ignore[method-assign]
        for action in arg_parser._actions:  # noqa: SLF001 - only the help texts change
            if "--verify-diagnostics" in action.option_strings:
                action.help = (
                    "check `// expected-error {{...}}` (@+N, @-N) against the diagnostics; "
                    "exit 1 on a missing or unexpected one"
                )

    @staticmethod
    def _usage_error(message: str) -> NoReturn:
        """argparse's errors as one line; a leftover `--flag` is most likely a mistyped pass."""
        unknown = message.removeprefix("unrecognized arguments: ")
        if unknown != message:
            raise NeuroJITError(
                f"unknown pass or option '{unknown}' (neurojit-opt --help lists them)"
            )
        raise UsageError(message)

    def setup_pipeline(self) -> None:
        """Build the pipeline, turning every way it can fail into a one-line user error."""
        from xdsl.utils.arg_spec import parse_pipeline

        from neurojit.passes.upstream_mlir import rewrite_groups

        spec = self.args.passes
        try:
            specs = list(parse_pipeline(rewrite_groups(spec)))
        except ArgSpecParseError as err:
            # xDSL's text is a header, `pass-pipeline:1:C`, the spec, a caret, the reason.
            lines = [line.strip() for line in str(err).strip().splitlines()]
            column = next((ln.rsplit(":", 1)[1] for ln in lines if ln.startswith("pass-")), "")
            where = f" at column {column}" if column else ""
            raise NeuroJITError(f"invalid pass pipeline '{spec}'{where}: {lines[-1]}") from None
        passes: list[ModulePass] = []
        for pass_spec in specs:
            factory = self.available_passes.get(pass_spec.name)
            if factory is None:
                raise NeuroJITError(
                    f"unknown pass '{pass_spec.name}' (neurojit-opt --help lists them)"
                )
            try:
                pass_class = factory()
            except Exception as err:  # a registry row whose module is missing or broken
                raise NeuroJITError(
                    f"pass '{pass_spec.name}' could not be loaded: {type(err).__name__}: "
                    f"{_first_line(err)}"
                ) from None
            try:
                passes.append(pass_class.from_pass_spec(pass_spec))
            except (ValueError, TypeError) as err:
                raise NeuroJITError(
                    f"bad option for pass '{pass_spec.name}': {_first_line(err)}"
                ) from None
        self.pipeline = PassPipeline(tuple(passes), self._between_passes)
        self._timer = time.perf_counter()
        self._filename = "<stdin>"

    def _between_passes(
        self, previous: ModulePass | None, module: ModuleOp, following: ModulePass | None
    ) -> None:
        if self.args.time_passes and previous is not None:
            print(
                f"Pass {previous.name} took {time.perf_counter() - self._timer:.6f} seconds",
                file=sys.stderr,
            )
        if previous is not None and not self.args.disable_verify:
            try:
                verify_module(module, self._filename)
            except SourceError as err:
                err.message += f" (after pass '{previous.name}')"
                raise
        if previous and following and self.args.print_between_passes:
            print(f"// IR after {previous.name}:")
            Printer(stream=sys.stdout).print_op(module)
            print("\n")
        self._timer = time.perf_counter()

    def _read_input(self) -> tuple[str, str]:
        path = self.args.input_file
        # Bounded reads: /dev/zero, a FIFO or a directory is refused, not read forever.
        if path is None or path == "-":
            data, name = read_stdin(), "<stdin>"
        else:
            data, name = read_source(path), path
        try:
            return data.decode("utf-8"), name
        except UnicodeDecodeError as err:
            raise NeuroJITError(f"input is not UTF-8: {err}", name) from None

    def _chunks(self, text: str) -> list[str]:
        """The input, or its `// -----` pieces, each padded so line numbers stay file-global."""
        if not self.args.split_input_file:
            return [text]
        chunks: list[str] = []
        start = 0
        for match in _SPLIT.finditer(text):
            chunks.append(text[start : match.start()])
            start = match.end()
        chunks.append(text[start:])
        padded: list[str] = []
        line = 0
        for chunk in chunks:
            padded.append("\n" * line + chunk)
            line += chunk.count("\n")
        return padded

    def _output(self, module: ModuleOp) -> str:
        """The result in the chosen target. IR that was never verified (--disable-verify)
        can break an op's custom printer (found by tools/fuzz/drivers.py): like upstream,
        fall back to the generic form then."""
        try:
            return self.output_resulting_program(module)
        except Exception:
            if getattr(self.args, "target", "mlir") != "mlir" or not self.args.disable_verify:
                raise
            from neurojit.ir import print_module

            return print_module(module, generic=True)

    def _process(self, chunk: str, filename: str, out: IO[str]) -> list[tuple[Diagnostic, str]]:
        """Parse, transform and print one chunk; return its diagnostics with their full text."""
        # A pass that repairs modules the verifier rejects (llm-repair) must get them unverified.
        passes = self.pipeline.passes
        repairs_input = bool(passes) and getattr(passes[0], "accepts_unverified_input", False)
        try:
            module = parse_module(
                chunk,
                filename,
                verify=not self.args.disable_verify and not repairs_input,
                ctx=self.ctx,
                implicit_module=not self.args.no_implicit_module,
            )
            self.pipeline.apply(self.ctx, module)
            out.write(self._output(module))
            return []
        except SourceError as err:
            return [(Diagnostic("error", err.line, err.message, err.column), err.with_context())]
        except NeuroJITError as err:
            return [(Diagnostic("error", 0, err.message), str(err))]
        except DiagnosticException as err:
            message = _first_line(err)
            return [(Diagnostic("error", 0, message), f"{filename}: error: {message}")]
        except Exception as err:  # a bug in a pass or a target: report it, don't crash
            if os.environ.get("NEUROJIT_TRACEBACK"):
                traceback.print_exc()
            message = f"internal error: {type(err).__name__}: {_first_line(err)}"
            return [(Diagnostic("error", 0, message), f"{filename}: error: {message}")]

    def run(self) -> int:  # type: ignore[override]
        text, filename = self._read_input()
        self._filename = filename
        try:
            out = self.prepare_output()
        except OSError as err:
            raise NeuroJITError(
                f"could not open output file: {err.strerror or err}", self.args.output_file
            ) from None
        failed = False
        try:
            for index, chunk in enumerate(self._chunks(text)):
                if index > 0:
                    out.write("// -----\n")
                reported = self._process(chunk, filename, out)
                if self.args.verify_diagnostics:
                    expected = parse_expectations(chunk)
                    problems = check(filename, expected, [d for d, _ in reported])
                    for problem in problems:
                        print(problem, file=sys.stderr)
                    failed |= bool(problems)
                else:
                    for _, full in reported:
                        print(full, file=sys.stderr)
                    failed |= bool(reported)
                out.flush()
        finally:
            if out is not sys.stdout:
                out.close()
        return 1 if failed else 0


def run(argv: list[str]) -> int:
    from xdsl.ir import Attribute

    from neurojit.cli.pass_flags import translate

    # xDSL's --disable-verify replaces `Attribute.__post_init__` process-wide and never puts
    # it back: every later parse in this process (a test run, the fuzzer's worker, a library
    # user) would build attributes unverified. Restore it when the run ends.
    post_init = Attribute.__post_init__
    try:
        driver = NeuroJITOptMain(
            description="NeuroJIT's MLIR optimizer driver", args=translate(argv, all_pass_names())
        )
        return driver.run()
    finally:
        Attribute.__post_init__ = post_init  # type: ignore[method-assign]
