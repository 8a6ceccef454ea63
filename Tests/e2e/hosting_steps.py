"""The paper steps of a hosting request, walked with the CLI as each role: the clerk receives the
letter, the head disposes it, the division and the section forward it, and the agency brings the
server. Shared by the browser and the CLI hosting tests."""

from __future__ import annotations

from pathlib import Path


def walk_paper_steps(server, ticket: str, letter_number: str, tmp_path: Path) -> None:
    letter = tmp_path / "surat.pdf"
    letter.write_bytes(b"%PDF-1.4\n% surat permohonan\n")
    server.simpul("ticket", "step", ticket, "--as", "e2etu", "--evidence", f"letter_number={letter_number}", "--attach", f"attachment={letter}")
    server.simpul("ticket", "step", ticket, "--as", "e2ekadis", "--note", "Teruskan ke Kabid")
    server.simpul("ticket", "step", ticket, "--as", "e2ekasi")
    server.simpul("ticket", "step", ticket, "--as", "e2ekasi", "--note", "Teknisi siapkan tempat")
    server.simpul("ticket", "step", ticket, "--as", "e2edinkes", "--note", "Server diantar")
