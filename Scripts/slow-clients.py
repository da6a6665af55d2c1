#!/usr/bin/env python3
"""Holds idle and slow connections open against a live resume-optimizer-server and times GET /health.

    Scripts/slow-clients.py URL [--idle 1000] [--slow 200] [--samples 50] [--seconds 10]

Opens --idle connections that send nothing and --slow connections that send a request header one
byte per second (never finishing it), then, while they are held, times --samples sequential
`GET /health` requests on fresh connections (each by curl in its own process, so the figure is the
server's and not this script's event loop). Prints the latency figures and how many of the held
connections the server had closed by the end (its idle timeout). Exits 1 when the slowest /health
took 50 ms or more. Loopback only; every loop is bounded in count and time.
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse


async def idle(host, port, opened, stop):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        return None
    opened.append(1)
    await stop.wait()
    return reader, writer


async def slow(host, port, opened, stop):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        return None
    opened.append(1)
    header = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    for byte in header:
        if stop.is_set():
            break
        try:
            writer.write(bytes([byte]))
            await writer.drain()
        except OSError:
            break
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass
    return reader, writer


async def closed_by_server(pair):
    """Whether the server has closed a held connection (EOF or reset)."""
    if not pair:
        return False
    reader, writer = pair
    try:
        data = await asyncio.wait_for(reader.read(1), timeout=0.05)
        closed = data == b""
    except asyncio.TimeoutError:
        closed = False
    except OSError:
        closed = True
    writer.close()
    return closed


def health(url):
    """One GET /health by curl, in its own process: the time from connect to the last byte, in ms."""
    output = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "--max-time", "5", url + "/health"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if not output or output[0] != "200":
        raise RuntimeError(f"/health answered {output}")
    return float(output[1]) * 1000


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10, help="how long the connections are held")
    args = parser.parse_args()
    target = urlparse(args.url)
    host, port = target.hostname, target.port
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback only")

    loop = asyncio.get_running_loop()
    baseline = [await loop.run_in_executor(None, health, args.url) for _ in range(10)]
    stop = asyncio.Event()
    opened_idle, opened_slow = [], []
    idle_tasks = [asyncio.create_task(idle(host, port, opened_idle, stop)) for _ in range(args.idle)]
    slow_tasks = [asyncio.create_task(slow(host, port, opened_slow, stop)) for _ in range(args.slow)]
    await asyncio.sleep(1.0)
    latencies = []
    deadline = time.monotonic() + args.seconds
    for _ in range(args.samples):
        latencies.append(await loop.run_in_executor(None, health, args.url))
        await asyncio.sleep(max(0.0, min(0.1, deadline - time.monotonic())))
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    stop.set()
    idle_pairs = await asyncio.gather(*idle_tasks)
    slow_pairs = await asyncio.gather(*slow_tasks)
    closed_idle = [1 for closed in await asyncio.gather(*map(closed_by_server, idle_pairs)) if closed]
    closed_slow = [1 for closed in await asyncio.gather(*map(closed_by_server, slow_pairs)) if closed]

    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(f"held: {len(opened_idle)} idle and {len(opened_slow)} slow connections for {args.seconds:.0f} s")
    print(f"closed by the server meanwhile: {len(closed_idle)} idle, {len(closed_slow)} slow")
    print(f"GET /health alone:       median {statistics.median(baseline):.1f} ms, max {max(baseline):.1f} ms")
    print(
        f"GET /health while held:  median {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(latencies):.1f} ms ({len(latencies)} requests)"
    )
    if max(latencies) >= 50:
        print("FAIL: the slowest /health took 50 ms or more")
        sys.exit(1)
    print("ok: every /health under 50 ms")


if __name__ == "__main__":
    asyncio.run(main())
