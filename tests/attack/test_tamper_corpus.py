"""Issue 14, point 9: a corpus of tampered variants of one signed export (see
``tamper_corpus``), none of which ``verify`` may call valid – neither as ``svf-report verify``
does by default (no trust folder) nor as the RCC does (the CA trusted, trust required).

The suite's run makes 353 variants (some 40 s on the two-core CI machine); ``-m long``
makes 4 642 (more byte flips in the signed ranges and in the signatures; about 12 min)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from desktop_app.domain.problems import ProblemCode
from desktop_app.services.verification import FileVerification, verify_bytes
from tests.attack import tamper_corpus as tc

# The kinds every corpus must have, and how many distinct variants of each at least.
MIN_PER_KIND = {
    "flip-signed": 100,
    "flip-signature": 60,
    "data": 10,
    "names": 10,
    "annotation": 10,
    "page": 10,
    "info": 10,
    "catalog": 5,
    "removal": 5,
    "wrapping": 10,
    "appended": 10,
    "truncated": 10,
}


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> tuple[bytes, Path]:
    """A certified and signed export (CA-issued signers) and the folder with the CA."""
    from tests.helpers.signed_demo import build_signed_demo

    demo = build_signed_demo(tmp_path_factory.mktemp("tamper"), regions=["25"])
    return demo.files["25"].read_bytes(), demo.ca.ca_path.parent


def _verdicts(data: bytes, label: str, trust: Path) -> tuple[FileVerification, FileVerification]:
    default = verify_bytes(data, label)
    strict = verify_bytes(data, label, trust_dir=trust, require_trusted=True)
    return default, strict


def _run_corpus(data: bytes, trust: Path, flips: int, signature_flips: int) -> Counter[str]:
    base_default, base_strict = _verdicts(data, "original", trust)
    assert base_default.ok and base_strict.ok, (base_default.problems, base_strict.problems)
    per_kind: Counter[str] = Counter()
    seen: set[str] = set()
    accepted = []
    for kind, label, variant in tc.corpus(data, flips, signature_flips):
        digest = hashlib.sha256(variant).hexdigest()
        assert variant != data, f"{kind}: {label} is the original"
        if digest in seen:
            continue
        seen.add(digest)
        per_kind[kind] += 1
        default, strict = _verdicts(variant, label, trust)
        if default.ok or strict.ok:
            accepted.append((kind, label, default.ok, strict.ok))
    assert not accepted, f"{len(accepted)} tampered variants verified as valid: {accepted[:10]}"
    return per_kind


# Well within CI's budget, but over the default per-test timeout on a loaded machine.
@pytest.mark.timeout(900)
def test_no_tampered_variant_verifies(signed):
    data, trust = signed
    per_kind = _run_corpus(data, trust, flips=60, signature_flips=10)
    print("tamper corpus:", dict(per_kind), "total", sum(per_kind.values()))
    assert sum(per_kind.values()) >= 200
    short = {k: per_kind[k] for k, n in MIN_PER_KIND.items() if per_kind[k] < n}
    assert not short, short


@pytest.mark.long
def test_no_variant_of_the_long_corpus_verifies(signed):
    data, trust = signed
    per_kind = _run_corpus(data, trust, flips=2000, signature_flips=80)
    print("long tamper corpus:", dict(per_kind), "total", sum(per_kind.values()))
    assert sum(per_kind.values()) >= 4000


def _pdfsig_valid(path: Path) -> bool:
    """pdfsig (poppler) calls every signature valid and the last one covers the whole file."""
    out = subprocess.run(
        ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, timeout=60
    ).stdout
    sigs = out.split("Signature #")[1:]
    return (
        bool(sigs)
        and all("Signature is Valid." in s for s in sigs)
        and any("Total document signed" in s and "Not total" not in s for s in sigs)
    )


# Well within CI's budget, but over the default per-test timeout on a loaded machine.
@pytest.mark.timeout(900)
@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) saknas")
def test_pdfsig_agrees_on_the_corpus(signed, tmp_path):
    """A second, independent verifier: the changes are real, not artefacts of ours. pdfsig
    with -nocert does not look at the certificates, and no verifier but ours looks at the
    zeros after the signature, so the flips inside the signer's certificate and in the
    padding (which ours refuses) are left out."""
    data, _ = signed
    path = tmp_path / "v.pdf"
    path.write_bytes(data)
    assert _pdfsig_valid(path)
    called_valid = []
    for kind, label, variant in tc.corpus(data, flips=60, signature_flips=10):
        if kind == "flip-signature" and ("signer certificate" in label or "padding" in label):
            continue
        path.write_bytes(variant)
        if _pdfsig_valid(path):
            called_valid.append((kind, label))
    assert not called_valid


def test_data_appended_after_the_last_revision_is_a_change(signed):
    """Found by the corpus: bytes after the final %%EOF (objects without an xref, which a
    lenient reader that rebuilds the xref would read) still verified as valid. White space
    after it is allowed."""
    data, _ = signed
    assert verify_bytes(data + b"\n\r\n \x00", "s.pdf").ok
    startxref = data.rsplit(b"startxref", 1)[1].split()[0]  # the signed revision's
    for tail in (
        b"1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"x",
        b"junk\nstartxref\n" + startxref + b"\n%%EOF\n",
    ):
        result = verify_bytes(data + tail, "s.pdf")
        assert not result.ok
        assert result.has(ProblemCode.CHANGED_AFTER_LAST_SIGNATURE)


def test_data_in_the_signature_padding_is_refused(signed):
    """Found by the corpus: the zeros after the CMS structure in /Contents are covered by no
    signature; data written there (up to some kB) still verified as valid."""
    data, _ = signed
    for _a, _b, c, _d in tc.byte_ranges(data):
        tampered = bytearray(data)
        tampered[c - 30 : c - 2] = b"48656d6c6967" + b"0" * 16  # "Hemlig" in the padding
        result = verify_bytes(bytes(tampered), "s.pdf")
        assert result.has(ProblemCode.SIGNATURE_INVALID), result.problems
        assert "utöver själva underskriften" in " ".join(result.problems)


def test_info_rewritten_in_place_is_a_change(signed):
    """Found by the corpus: /Info edited in its own object (not replaced by a new one) read
    the same in every revision, so the change went unnoticed."""
    data, _ = signed
    variants = [v for k, label, v in tc.info_updates(data) if "in place" in label]
    assert len(variants) >= 5
    for variant in variants:
        result = verify_bytes(variant, "s.pdf")
        assert result.has(ProblemCode.CHANGED_AFTER_LAST_SIGNATURE), result.problems
