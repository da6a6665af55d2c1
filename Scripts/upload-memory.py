#!/usr/bin/env python3
"""Peak memory of the example server while it takes concurrent large uploads.

    Scripts/upload-memory.py [--server BIN] [--uploads 8] [--megabytes 5] [--store memory|directory]

Starts resume-optimizer-server (release build by default; `swift build -c release --package-path Examples
--product resume-optimizer-server` first), reads its resident memory (VmRSS) once it is idle, then sends
`--uploads` POST /optimize requests at once, each a .docx of `--megabytes` MiB (a short document and an
incompressible picture, so the upload is as large as allowed), and prints the server's peak resident
memory (VmHWM) above the idle figure, per upload and as a multiple of the payload (the resume's bytes).
Jobs are cancelled right after they are accepted; the stub provider with a 30 s delay keeps the
worker busy but light (the parser skips the picture), so the figure is the cost of taking the uploads in.
"""
import argparse
import base64
import concurrent.futures
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} for {pid}")


def docx(size):
    """A minimal .docx holding one paragraph and a stored picture of random bytes, `size` bytes in all."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Jordan Rivera, backend engineer: Swift, PostgreSQL, payments.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
        overhead = len(buffer.getvalue()) + 200
        archive.writestr(zipfile.ZipInfo("word/media/image1.png"), os.urandom(max(0, size - overhead)))
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", help="the resume-optimizer-server binary (default: the release build)")
    parser.add_argument("--uploads", type=int, default=8)
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--store", choices=["memory", "directory"], default="memory")
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    server = args.server
    if server is None:
        bin_path = subprocess.check_output(
            ["swift", "build", "-c", "release", "--package-path", os.path.join(root, "Examples"), "--show-bin-path"],
            text=True,
        ).strip()
        server = os.path.join(bin_path, "resume-optimizer-server")
    size = int(args.megabytes * 1024 * 1024) - 64 * 1024
    resume = docx(size)
    body = json.dumps(
        {"resume": base64.b64encode(resume).decode(), "jobDescription": "Backend engineer: Swift", "fileName": "r.docx"}
    ).encode()

    port = free_port()
    environment = dict(os.environ, RESUME_OPTIMIZER_JWT_SECRET="upload-memory-" + os.urandom(16).hex())
    data_dir = tempfile.mkdtemp(prefix="upload-memory-")
    command = [server, "serve", "--port", str(port), "--log-level", "error", "--provider", "stub", "--stub-delay", "30",
               "--max-queued-per-user", str(args.uploads + 1), "--store", args.store]
    if args.store == "directory":
        command += ["--data-dir", data_dir]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        token = subprocess.check_output([server, "token", "--user", "memory", "--lifetime", "600"], env=environment,
                                        text=True).strip()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        # Warm up with one small upload, so the idle figure includes the first request's one-time costs.
        small = json.dumps({"resume": base64.b64encode(b"Jordan Rivera").decode(), "jobDescription": "Swift"})
        job = json.load(urllib.request.urlopen(urllib.request.Request(base + "/optimize", small.encode(), headers)))
        urllib.request.urlopen(urllib.request.Request(f"{base}/jobs/{job['jobId']}", headers=headers,
                                                      method="DELETE")).read()
        time.sleep(0.5)
        idle = memory(process.pid, "VmRSS")
        idle_peak = memory(process.pid, "VmHWM")

        def upload(_):
            request = urllib.request.Request(base + "/optimize", body, headers)
            answer = json.load(urllib.request.urlopen(request, timeout=120))
            delete = urllib.request.Request(f"{base}/jobs/{answer['jobId']}", headers=headers, method="DELETE")
            urllib.request.urlopen(delete).read()
            return answer["status"]

        with concurrent.futures.ThreadPoolExecutor(args.uploads) as pool:
            statuses = list(pool.map(upload, range(args.uploads)))
        peak = memory(process.pid, "VmHWM")
        after = memory(process.pid, "VmRSS")
    finally:
        process.terminate()
        process.wait()
    if any(status != "PROCESSING" for status in statuses):
        sys.exit(f"unexpected statuses: {statuses}")
    mib = 1024 * 1024
    payload = len(resume)
    above = peak - max(idle, idle_peak)
    print(f"store: {args.store}; {args.uploads} concurrent uploads of a {payload / mib:.2f} MiB .docx "
          f"({len(body) / mib:.2f} MiB request bodies)")
    print(f"resident memory: idle {idle / mib:.1f} MiB, peak {peak / mib:.1f} MiB, after {after / mib:.1f} MiB")
    print(f"peak above idle: {above / mib:.1f} MiB = {above / args.uploads / mib:.1f} MiB per upload "
          f"= {above / (payload * args.uploads):.2f}x the payload (target: under 3x)")


if __name__ == "__main__":
    main()
