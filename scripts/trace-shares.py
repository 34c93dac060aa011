#!/usr/bin/env python3
# Attributes the CPU samples of a dotnet-trace speedscope file to components (the deepest frame that
# says whose code it is):  python3 scripts/trace-shares.py trace.speedscope.json [component-to-detail]
# Record with: dotnet-trace collect -p PID --profile dotnet-sampled-thread-time --duration 00:00:15 --format Speedscope
import json, sys, collections
# CPU samples (leaf CPU_TIME) of a dotnet-trace speedscope file, attributed to the deepest frame
# whose name says whose code it is ("self" time by component).
d = json.load(open(sys.argv[1]))
frames = [f['name'] for f in d['shared']['frames']]
rules = [
    ('gc', ('gc_heap', 'GCHeap', 'PollGCWorker', 'GarbageCollect', 'WKS::', 'SVR::')),
    ('thread-pool wait/spin', ('LowLevelLifoSemaphore', 'WaitOneNoCheck', 'LowLevelMonitor', 'PortableThreadPool')),
    ('Npgsql', ('Npgsql',)),
    ('domain (SessionInsights.Domain)', ('SessionInsights.Domain',)),
    ('grains (SessionInsights.Grains*)', ('SessionInsights.Grains',)),
    ('gateway (SessionInsights.Gateway)', ('SessionInsights.Gateway',)),
    ('storage (SessionInsights.Storage)', ('SessionInsights.Storage',)),
    ('Orleans runtime (messaging, scheduling, serialization, dashboard)', ('Orleans',)),
    ('ASP.NET Core / Kestrel', ('Microsoft.AspNetCore', 'Kestrel')),
    ('System.Text.Json', ('System.Text.Json',)),
    ('OpenTelemetry / metrics', ('OpenTelemetry', 'System.Diagnostics.Metrics')),
    ('sockets / IO', ('System.Net', 'System.IO')),
]
cats = collections.Counter(); total = 0
def classify(stack):
    for i in reversed(stack):
        name = frames[i]
        hit = next((label for label, keys in rules if any(k in name for k in keys)), None)
        if hit: return hit
    return 'other (runtime, BCL)'
cpu = frames.index('CPU_TIME')
for p in d['profiles']:
    if p.get('type') != 'evented': continue
    stack = []; opened = {}
    for e in p['events']:
        if e['type'] == 'O':
            stack.append(e['frame'])
            if e['frame'] == cpu: opened = (e['at'], classify(stack[:-1]))
        else:
            if e['frame'] == cpu and opened:
                w = e['at'] - opened[0]; cats[opened[1]] += w; total += w; opened = {}
            if stack: stack.pop()
for c, w in cats.most_common():
    print(f"| {c} | {100*w/total:.1f} % |")
print('total CPU sample weight', total)
if len(sys.argv) > 2:
    # Top stacks (3 frames above the deepest matching one) for one category.
    want = sys.argv[2]; tops = collections.Counter()
    for p in d['profiles']:
        if p.get('type') != 'evented': continue
        stack = []; opened = None
        for e in p['events']:
            if e['type'] == 'O':
                stack.append(e['frame'])
                if e['frame'] == cpu: opened = (e['at'], classify(stack[:-1]), tuple(stack[:-1]))
            else:
                if e['frame'] == cpu and opened:
                    if want in opened[1]:
                        names = [frames[i].split('!')[-1][:90] for i in opened[2]]
                        key = ' < '.join(reversed(names[-6:]))
                        tops[key] += e['at'] - opened[0]
                    opened = None
                if stack: stack.pop()
    for k, w in tops.most_common(12): print(f"{100*w/total:5.1f}%  {k}")
