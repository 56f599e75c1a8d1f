"""Build the live-interview fixtures in tests/fixtures/live/ and their ground truth (truth.json).

- Resumes with known seniority in each format the upload reads: a PDF with a text layer (written
  with pypdf's objects: Helvetica text operators), a DOCX (python-docx, with a table, as resumes
  often are) and a plain-text file.
- A scanned resume: the same text drawn into a grey image (OpenCV's Hershey font) and embedded as
  the only content of a PDF page, so there is no text layer at all.
- Broken files: a PDF header followed by noise, a ZIP header followed by noise named .docx.
- Job descriptions as plain text.
- A spoken answer of about ten seconds (eSpeak NG, through scripts/make_audio_fixtures.py's
  binding), encoded as Ogg/Opus the way a browser's MediaRecorder sends it, and as WAV.

    apt-get install -y espeak-ng
    .venv/bin/python scripts/make_live_fixtures.py
"""

from __future__ import annotations

import json
import sys
import zlib
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
from docx import Document
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_audio_fixtures import RATE, Espeak, encode_audio, silence, trim, write_wav  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "live"

SENIOR_BACKEND = """\
Dana Reyes
dana.reyes@example.com | +49 30 901820 | Berlin, Germany

Summary
Backend engineer with 8 years of experience building Python services and data-heavy APIs.

Experience
Senior Software Engineer, Northwind Payments (Mar 2019 - Present)
- Led a team of 4 engineers rebuilding the payments API in Django and PostgreSQL.
- Reduced p95 checkout latency by 45% by adding Redis caching and query indexes.
- Mentored two junior developers and ran our code review guild.
- Moved 30 services to Docker on AWS, cutting hosting costs by $120k a year.

Software Engineer, Contoso Analytics (Jun 2016 - Feb 2019)
- Built REST APIs in Python and Flask for reporting dashboards used by 2,000 customers.
- Wrote pytest suites that raised test coverage from 40% to 85%.

Education
BSc Computer Science, University of Lisbon (2012 - 2016)

Skills
Python, Django, Flask, PostgreSQL, Redis, AWS, Docker, REST APIs, pytest, Git
"""

JUNIOR_FRONTEND_PARAGRAPHS = [
    "Sam Lee",
    "Junior Frontend Developer",
    "Summary",
    "Frontend developer who enjoys building accessible interfaces with React and TypeScript.",
    "Experience",
]
JUNIOR_FRONTEND_TABLE = [
    ("Junior Frontend Developer, Brightside Apps", "Sep 2024 - Present",
     "Built React components in TypeScript for the booking flow; wrote Jest tests for each of them."),
    ("Frontend Intern, Pixel Studio", "Jun 2023 - Aug 2023",
     "Fixed CSS layout bugs and improved the Lighthouse accessibility score from 70 to 92."),
]  # fmt: skip
JUNIOR_FRONTEND_TAIL = [
    "Education",
    "BSc Computer Science, University of Leeds (2020 - 2024)",
    "Skills",
    "JavaScript, TypeScript, React, HTML/CSS, Jest, Git",
]

LEAD = """\
Alex Morgan - Engineering Manager

Profile
Engineering leader with 13 years of experience in logistics and platform engineering.

Engineering Manager, Orbital Logistics (2019 - Present)
- Managed 9 engineers across two teams building the routing platform in Go and Kafka.
- Hired 6 engineers and set up the on-call rotation and postmortem practice.
- Owned the platform roadmap and cut delivery delays by 30% in one year.

Staff Engineer, Parcelwise (2015 - 2019)
- Architected the event pipeline on Kafka and Kubernetes handling 50,000 events a second.
- Mentored eight engineers through promotion.

Software Engineer, Shipfast (2012 - 2015)
- Built Java services for warehouse scanning.

Skills
Go, Java, Kafka, Kubernetes, PostgreSQL, system design, hiring, mentoring
"""

JD_BACKEND = """\
Senior Backend Engineer - Payments Platform

About the role
You will design and run the services that move money for 3 million customers.

Requirements:
- 5+ years building backend services in Python (Django or FastAPI)
- Strong PostgreSQL and data modeling skills
- Running services on Kubernetes in production
- Event streaming with Kafka
- Observability: metrics, tracing and alerting for on-call

Nice to have:
- GraphQL
- Terraform
"""

JD_FRONTEND = """\
Frontend Engineer

We are looking for a frontend engineer to build our customer dashboard.

What you will do:
- Build features in React and TypeScript
- Keep the app fast and accessible (WCAG 2.1)
- Write tests with Jest and Playwright
- Work with designers and backend engineers every day

Nice to have:
- Next.js
- GraphQL
"""

# About ten seconds at 160 words a minute; it says several of the Kubernetes question's key points.
VOICE_TEXT = (
    "I would deploy the service to Kubernetes with a Helm chart from our pipeline, "
    "add health checks and autoscaling, and watch latency and error alerts on a dashboard."
)


def _pdf_string(line: str) -> str:
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return "(" + escaped.encode("latin-1", "replace").decode("latin-1") + ")"


def text_pdf(path: Path, text: str, *, lines_per_page: int = 22) -> None:
    """A PDF whose pages show `text` with Helvetica text operators (a real text layer)."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    lines = text.splitlines()
    for first in range(0, len(lines), lines_per_page):
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        body = " ".join(f"{_pdf_string(line)} Tj T*" for line in lines[first : first + lines_per_page])
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 10 Tf 15 TL 56 740 Td {body} ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Producer": "scripts/make_live_fixtures.py"})
    with path.open("wb") as handle:
        writer.write(handle)


def scanned_pdf(path: Path, text: str) -> None:
    """The text as a picture of a page (150 dpi grey image) and nothing else: no text layer."""
    width, height = 1275, 1650
    image = np.full((height, width), 250, np.uint8)
    for index, line in enumerate(text.splitlines()[:40]):
        cv2.putText(image, line, (90, 120 + index * 36), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 20, 2, cv2.LINE_AA)
    writer = PdfWriter()
    picture = StreamObject()
    picture._data = zlib.compress(image.tobytes(), 9)
    picture.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    page = writer.add_blank_page(width=612, height=792)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject({NameObject("/Scan"): writer._add_object(picture)}),
            NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/ImageB")]),
        }
    )
    content = DecodedStreamObject()
    content.set_data(b"q 612 0 0 792 0 0 cm /Scan Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Producer": "scripts/make_live_fixtures.py (scanner)"})
    with path.open("wb") as handle:
        writer.write(handle)


def junior_docx(path: Path) -> str:
    document = Document()
    for paragraph in JUNIOR_FRONTEND_PARAGRAPHS:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=0, cols=3)
    for row in JUNIOR_FRONTEND_TABLE:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    for paragraph in JUNIOR_FRONTEND_TAIL:
        document.add_paragraph(paragraph)
    # Fixed timestamps, so re-running writes the same document properties.
    document.core_properties.created = document.core_properties.modified = datetime(2026, 1, 5)
    document.core_properties.author = "Sam Lee"
    document.save(str(path))
    rows = [" | ".join(row) for row in JUNIOR_FRONTEND_TABLE]
    return "\n".join([*JUNIOR_FRONTEND_PARAGRAPHS, *rows, *JUNIOR_FRONTEND_TAIL])


def voice_answer() -> dict[str, object]:
    tts = Espeak()
    speech = trim(tts.say(VOICE_TEXT, words_per_minute=160).samples)
    samples = np.concatenate((silence(0.3), speech, silence(0.3)))
    write_wav(OUT / "answer_voice.wav", samples)
    encode_audio(OUT / "answer_voice.ogg", samples, container="ogg", codec="libopus", rate=48000, layout="mono",
                 bit_rate=24000)  # fmt: skip
    return {"text": VOICE_TEXT, "duration_seconds": round(samples.size / RATE, 3)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(5)
    text_pdf(OUT / "resume_senior_backend.pdf", SENIOR_BACKEND)
    scanned_pdf(OUT / "resume_scanned.pdf", SENIOR_BACKEND)
    junior_text = junior_docx(OUT / "resume_junior_frontend.docx")
    (OUT / "resume_lead.txt").write_text(LEAD)
    (OUT / "jd_backend.txt").write_text(JD_BACKEND)
    (OUT / "jd_frontend.txt").write_text(JD_FRONTEND)
    (OUT / "corrupt.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + rng.bytes(3000))
    (OUT / "corrupt.docx").write_bytes(b"PK\x03\x04" + rng.bytes(3000))
    truth = {
        "resume_senior_backend.pdf": {"seniority": "senior", "text": SENIOR_BACKEND},
        "resume_junior_frontend.docx": {"seniority": "junior", "text": junior_text},
        "resume_lead.txt": {"seniority": "lead", "text": LEAD},
        "resume_scanned.pdf": {"text_layer": False},
        "answer_voice.ogg": voice_answer(),
    }
    (OUT / "truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1e6:.2f} MB, to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
