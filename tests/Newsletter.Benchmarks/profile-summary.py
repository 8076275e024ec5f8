"""Summarises `perf script -F pid,comm,ip,sym,dso` of a system-wide profile: the share of the samples of the
sender, PostgreSQL (all its processes), idle time and each other process; then the sender's CPU microseconds
per message by where the leaf frame was (self) and by which code was anywhere on the stack (inclusive)."""
import collections
import re
import sys

sender, rate, seconds, frequency = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])


def where(frame):
    managed = re.search(r"\[([A-Za-z][\w.]*)\] ", frame)
    if managed and "/perf-" in frame:
        return managed.group(1)
    library = re.search(r"\(([^)]*)\)\s*$", frame)
    return library.group(1).rsplit("/", 1)[-1] if library else "?"


processes = collections.Counter()
self_time = collections.Counter()
inclusive = collections.Counter()
samples = 0
pid, name, frames = None, None, []


def process(pid, name):
    if pid == sender:
        return "sender"
    if pid == "0":
        return "idle"
    return "postgres" if name.startswith("postgres") else f"pid {pid}"


def close_sample():
    global samples
    if pid is None:
        return
    samples += 1
    processes[process(pid, name)] += 1
    if pid == sender and frames:
        self_time[where(frames[0])] += 1
        for code in {where(f) for f in frames}:
            inclusive[code] += 1


for line in sys.stdin:
    if line.strip() and not line[0].isspace():
        close_sample()
        # "comm pid": the thread's name may hold spaces, the pid is the last field.
        fields = line.split()
        pid, name, frames = fields[-1], " ".join(fields[:-1]), []
    elif line.strip():
        frames.append(line)
close_sample()

print(f"  samples {samples}; by process:", ", ".join(
    f"{key} {100 * count / samples:.1f} %" for key, count in processes.most_common(6)))
per_message = 1e6 / frequency / (rate * seconds)
print(f"  sender CPU per message: {sum(self_time.values()) * per_message:.0f} µs")
print("  self:", ", ".join(f"{k} {v * per_message:.1f}" for k, v in self_time.most_common(12)))
print("  inclusive:", ", ".join(f"{k} {v * per_message:.1f}" for k, v in inclusive.most_common(16)))
