"""The benchmark's markdown report and its target checks (numbers from the JSON result)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bench.safety_eval import p95_ms
from bench.stats import ratio

TURN_P95_MAX_MS = 150.0
TURN_P95_MAX_RATIO = 1.5
THROUGHPUT_MIN_8 = 32.0
SAFETY_P95_MAX_MS = 5.0  # issue 11: rules + trained screen together
NLU_MIN_ACCURACY = 0.85
CHART_P95_MAX_MS = 1000.0  # issue 13: a heavy month's progress chart, rendered on the server


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _get(data: Dict, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def targets(result: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Each target of issue 7 with the measured value and whether it is met."""
    servers = result.get("servers", {})
    starter_p95 = _get(servers, "starter", "turn_ms", "p95")
    checks: List[Dict[str, Any]] = []
    for name, data in servers.items():
        if name == "starter" or "error" in data:
            continue
        p95 = _get(data, "turn_ms", "p95")
        checks.append(_check(f"{name}: full-turn p95 <= {TURN_P95_MAX_MS:.0f} ms", p95,
                             p95 is not None and p95 <= TURN_P95_MAX_MS, "ms"))
        rel = ratio(p95, starter_p95)
        checks.append(_check(f"{name}: full-turn p95 <= {TURN_P95_MAX_RATIO}x starter", rel,
                             rel is not None and rel <= TURN_P95_MAX_RATIO, "x"))
        rate = _get(data, "concurrent", "8", "turns_per_s")
        checks.append(_check(f"{name}: >= {THROUGHPUT_MIN_8:.0f} turns/s with 8 senders", rate,
                             rate is not None and rate >= THROUGHPUT_MIN_8, "/s"))
    safety = result.get("safety", {})
    if safety.get("available"):
        cost = p95_ms(safety)
        checks.append(_check(f"safety layer p95 <= {SAFETY_P95_MAX_MS} ms", cost,
                             cost is not None and cost <= SAFETY_P95_MAX_MS, "ms"))
    chart_p95 = _get(result, "progress_chart", "render_ms", "p95")
    if chart_p95 is not None:
        checks.append(_check(f"progress chart render p95 <= {CHART_P95_MAX_MS:.0f} ms", chart_p95,
                             chart_p95 <= CHART_P95_MAX_MS, "ms"))
    accuracy = _get(result, "nlu", "accuracy")
    if accuracy is not None:
        checks.append(_check(f"NLU held-out accuracy >= {NLU_MIN_ACCURACY}", accuracy,
                             accuracy >= NLU_MIN_ACCURACY, ""))
    return checks


def _check(name: str, value: Any, met: bool, unit: str) -> Dict[str, Any]:
    return {"target": name, "value": value, "unit": unit, "met": bool(met)}


def render(result: Dict[str, Any]) -> str:
    """The whole report as markdown."""
    parts = [f"# Harbor bench — {result.get('date', '')}", "", _machine(result)]
    parts += _targets_table(result.get("targets", []))
    parts += _servers_table(result.get("servers", {}))
    parts += _load_table(result.get("servers", {}))
    parts += _memory_table(result.get("servers", {}))
    parts += _training_table(result.get("training", {}), result.get("starter_training", {}))
    parts += _nlu_section(result.get("nlu", {}))
    parts += _safety_section(result.get("safety", {}))
    parts += _progress_section(result.get("progress_chart", {}))
    parts += _profile_section(result.get("profiles", {}))
    parts += _soak_section(result.get("soak", {}))
    return "\n".join(parts) + "\n"


def _machine(result: Dict[str, Any]) -> str:
    machine = result.get("machine", {})
    return (
        f"Machine: {machine.get('cpus')} CPU(s), load average at start "
        f"{machine.get('loadavg_start')}, Rasa {machine.get('rasa')}, "
        f"Python {machine.get('python')}, commit {machine.get('commit')}. "
        f"Mode: {'quick' if result.get('args', {}).get('quick') else 'full'}.\n"
    )


def _targets_table(checks: List[Dict[str, Any]]) -> List[str]:
    if not checks:
        return []
    rows = ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for check in checks:
        value = f"{_fmt(check['value'], 2)} {check['unit']}".strip()
        rows.append(f"| {check['target']} | {value} | {'yes' if check['met'] else '**no**'} |")
    return rows + [""]


def _servers_table(servers: Dict[str, Any]) -> List[str]:
    if not servers:
        return []
    starter = servers.get("starter", {})
    rows = [
        "## Latency (sequential, ms; ratio = / starter)",
        "",
        "| deployment | parse p50 | parse p95 | parse p99 | turn p50 | turn p95 | turn p99 "
        "| turn p95 ratio | first answer (s) | action-server steps / conversation |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, data in servers.items():
        if "error" in data:
            rows.append(f"| {name} | failed: {data['error']} |||||||||")
            continue
        parse, turn = data.get("parse_ms", {}), data.get("turn_ms", {})
        rel = ratio(turn.get("p95"), _get(starter, "turn_ms", "p95"))
        custom = _get(data, "conversation", "custom_actions_run")
        rows.append(
            f"| {name} | {_fmt(parse.get('p50'))} | {_fmt(parse.get('p95'))} | "
            f"{_fmt(parse.get('p99'))} | {_fmt(turn.get('p50'))} | {_fmt(turn.get('p95'))} | "
            f"{_fmt(turn.get('p99'))} | {_fmt(rel, 2)} | {_fmt(data.get('first_answer_s'))} | "
            f"{len(custom) if custom is not None else 'n/a'} |"
        )
    rows.append("")
    for name, data in servers.items():
        if "mode" in data:
            rows.append(f"- **{name}**: {data['mode']}")
    return rows + [""]


def _load_table(servers: Dict[str, Any]) -> List[str]:
    rows = [
        "## Concurrent senders (REST, loopback)",
        "",
        "| deployment | senders | turns/s | p50 ms | p95 ms | p95 ratio | 5xx | no answer "
        "| empty | failure lines | stored exactly once |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    starter = servers.get("starter", {})
    for name, data in servers.items():
        for senders, load in (data.get("concurrent") or {}).items():
            latency = load.get("latency_ms", {})
            rel = ratio(latency.get("p95"), _get(starter, "concurrent", senders, "latency_ms",
                                                 "p95"))
            stored = load.get("stored", {})
            exact = (
                f"{stored.get('messages', 0) - stored.get('missing', 0)}/{stored.get('messages')}"
                f" ({stored.get('extra', 0)} extra)"
            )
            rows.append(
                f"| {name} | {senders} | {_fmt(load.get('turns_per_s'))} | "
                f"{_fmt(latency.get('p50'))} | {_fmt(latency.get('p95'))} | {_fmt(rel, 2)} | "
                f"{load.get('http_5xx')} | {load.get('http_other_errors')} | "
                f"{load.get('empty_replies')} | {load.get('degraded_replies')} | {exact} |"
            )
    rows.append("")
    rows.append("*no answer*: no reply within 30 s or a refused connection; *failure lines*: "
                "Harbor's \"trouble on my side\" replies (a failed action or turn).")
    return rows + [""] if len(rows) > 6 else []


def _memory_table(servers: Dict[str, Any]) -> List[str]:
    rows = ["## Peak RSS (MB, VmHWM)", "", "| deployment | Rasa (all workers) | Rasa main | "
            "action server |", "|---|---|---|---|"]
    for name, data in servers.items():
        rss = data.get("peak_rss_mb")
        if not rss:
            continue
        rows.append(
            f"| {name} | {_fmt(_get(rss, 'rasa', 'total'))} | {_fmt(_get(rss, 'rasa', 'main'))}"
            f" | {_fmt(_get(rss, 'actions', 'total'))} |"
        )
    return rows + [""] if len(rows) > 4 else []


def _training_table(training: Dict[str, Any], starter: Dict[str, Any]) -> List[str]:
    rows = ["## Training (s)", "", "| what | seconds | note |", "|---|---|---|"]
    labels = {
        "cold": "Harbor, cold (`rasa train --force`, empty cache, temp copy)",
        "no_change": "Harbor, nothing changed (`rasa train`, same copy)",
        "one_nlu_example": "Harbor, one NLU example added (warm cache)",
        "repo_check": "`scripts/train-if-changed.sh`, model current",
    }
    for key, label in labels.items():
        item = training.get(key)
        if item:
            note = "" if item.get("ok", True) else f"failed: {item.get('error', '')[:80]}"
            rows.append(f"| {label} | {_fmt(item.get('seconds'))} | {note} |")
    if starter:
        note = "cached from an earlier run" if starter.get("cached") else "this run"
        rows.append(f"| Starter bot, `rasa init --no-prompt` incl. training | "
                    f"{_fmt(starter.get('init_and_train_s'))} | {note} |")
    if training.get("skipped"):
        rows.append(f"| Harbor | skipped | {training['skipped']} |")
    return rows + [""] if len(rows) > 4 else []


def _nlu_section(nlu: Dict[str, Any]) -> List[str]:
    if not nlu:
        return []
    if "error" in nlu:
        return ["## NLU (held-out)", "", f"Not measured: {nlu['error']}", ""]
    rows = [
        "## NLU (held-out: tests/nlu/heldout.yml)",
        "",
        f"{nlu['examples']} examples — accuracy **{nlu['accuracy']:.3f}**, "
        f"macro-F1 **{nlu['macro_f1']:.3f}**",
        "",
        "| intent | F1 | precision | recall | n |",
        "|---|---|---|---|---|",
    ]
    for intent, s in sorted(nlu["per_intent"].items(), key=lambda kv: kv[1]["f1"]):
        rows.append(f"| {intent} | {s['f1']:.2f} | {s['precision']:.2f} | {s['recall']:.2f} "
                    f"| {s['support']} |")
    if nlu.get("confusions"):
        rows += ["", "| expected | predicted | count |", "|---|---|---|"]
        rows += [f"| {c['expected']} | {c['predicted']} | {c['count']} |"
                 for c in nlu["confusions"]]
    return rows + [""]


def _blind_rows(rounds: List[Dict[str, Any]]) -> List[str]:
    """First-look scores (of record) and today's screen on every blind round."""
    if not rounds:
        return []
    rows = [
        "## Crisis screen on blind sets (first look = the number of record)",
        "",
        "| round | scored on | | recall | suicide | self-harm | danger | caught "
        "| false alarms (crisis / check) | unclear caught |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in rounds:
        for when, numbers in (("first look", entry), ("today", entry.get("today") or {})):
            recall = numbers.get("recall") or {}
            alarms = numbers.get("false_alarms") or {}
            scored_on = entry.get("scored_on", "") if when == "first look" else ""
            rows.append(
                f"| {entry.get('set')} | {scored_on} | {when} | {_fmt(recall.get('all'), 3)} | "
                f"{_fmt(recall.get('suicide'), 3)} | "
                f"{_fmt(recall.get('self_harm'), 3)} | {_fmt(recall.get('danger'), 3)} | "
                f"{_fmt((numbers.get('caught') or {}).get('all'), 3)} | "
                f"{_fmt(alarms.get('crisis'), 3)} / {_fmt(alarms.get('check'), 3)} | "
                f"{_fmt(numbers.get('unclear_caught'), 3)} |"
            )
    return rows + ["", "A round that joined the training data is no longer blind: its 'today' "
                   "row is not a measure of new wording.", ""]


def _everyday_rows(everyday: Dict[str, Any]) -> List[str]:
    rows = []
    for name, numbers in everyday.items():
        rows.append(
            f"Everyday traffic, {name} ({numbers.get('messages')} NLU held-out messages, never "
            f"trained on): crisis card {_fmt(numbers.get('crisis'), 3)}, direct question "
            f"{_fmt(numbers.get('check'), 3)}."
        )
    return [*rows, ""] if rows else []


def _safety_section(safety: Dict[str, Any]) -> List[str]:
    if not safety:
        return []
    if not safety.get("available"):
        return ["## Safety layer", "", f"Not measured: {safety.get('reason')}", ""]
    counts = safety.get("counts", {})
    recall = safety.get("recall", {})
    accuracy = safety.get("category_accuracy", {})
    false_alarms = safety.get("false_alarm_rate", {})
    by_category = false_alarms.get("by_category", {}) if isinstance(false_alarms, dict) else {}
    rows = [
        *_blind_rows(safety.get("blind_rounds") or []),
        *_everyday_rows(safety.get("everyday") or {}),
        "## Safety layer on the reviewed corpus (bench.safety.run(), the Rasa component"
        f"{'' if safety.get('trained_screen') else ', RULES ONLY: no trained model found'})",
        "",
        f"{counts.get('crisis', '?')} crisis messages, {counts.get('negative', '?')} hard "
        f"negatives. Overall recall **{_fmt(recall.get('overall'), 3)}**, false-alarm rate "
        f"**{_fmt(_get(safety, 'false_alarm_rate', 'overall'), 3)}**.",
        "",
        "| category | n | recall | right category | false alarms (share of negatives) |",
        "|---|---|---|---|---|",
    ]
    for category in [k for k in recall if k != "overall"]:
        rows.append(
            f"| {category} | {counts.get(category, '')} | {_fmt(recall.get(category), 3)} | "
            f"{_fmt(accuracy.get(category), 3)} | {_fmt(by_category.get(category), 3)} |"
        )
    groups = false_alarms.get("by_group", {}) if isinstance(false_alarms, dict) else {}
    if groups:
        rows += ["", "| negative group | false-alarm rate |", "|---|---|"]
        rows += [f"| {group} | {_fmt(rate, 3)} |" for group, rate in groups.items()]
    cost, cpu = safety.get("cost_ms", {}), safety.get("cpu_ms", {})
    rows += [
        "",
        f"Cost per message: wall p50 {_fmt(cost.get('p50'), 3)} ms, p95 "
        f"**{_fmt(cost.get('p95'), 3)} ms** (max {_fmt(cost.get('max'), 2)}); own CPU p50 "
        f"{_fmt(cpu.get('p50'), 3)} ms, p95 {_fmt(cpu.get('p95'), 3)} ms; "
        f"{len(safety.get('missed', []))} missed, {len(safety.get('false_alarms', []))} false "
        f"alarms; load average {_fmt(safety.get('load_average'), 2)}.",
        "",
    ]
    return rows


def _progress_section(chart: Dict[str, Any]) -> List[str]:
    if not chart:
        return []
    if "error" in chart:
        return ["## Progress chart", "", f"Not measured: {chart['error']}", ""]
    ms = chart.get("render_ms", {})
    return [
        "## Progress chart (bench.progress: a heavy month, rendered with matplotlib Agg)",
        "",
        f"{ms.get('n')} renders of {chart.get('cravings')} cravings: p50 "
        f"**{_fmt(ms.get('p50'))} ms**, p95 **{_fmt(ms.get('p95'))} ms**, max "
        f"{_fmt(ms.get('max'))} ms; the first in a process {_fmt(chart.get('first_render_ms'))}"
        f" ms; PNG {chart.get('png_bytes')} bytes.",
        "",
    ]


def _profile_section(profiles: Dict[str, Any]) -> List[str]:
    rows: List[str] = []
    for name, profile in profiles.items():
        if not profile.get("available"):
            rows += [f"## Profile: {name}", "", f"Not profiled: {profile.get('reason')}", ""]
            continue
        rasa = profile["rasa"]
        rows += [
            f"## Profile: {name} (py-spy, {profile['senders']} senders, "
            f"{profile['seconds']} s, {rasa['samples']} samples of Rasa)",
            "",
            "| where Rasa's CPU time goes | share % |",
            "|---|---|",
            *(f"| {a['area']} | {a['share']} |" for a in rasa["areas"]),
            "",
            "| hottest functions (own time) | share % |",
            "|---|---|",
            *(f"| `{h['function']}` | {h['share']} |" for h in rasa["hottest"][:10]),
            "",
        ]
        actions = profile.get("actions", {})
        if actions.get("samples"):
            rows += [
                f"Action server: {actions['samples']} samples; "
                + ", ".join(f"{a['area']} {a['share']}%" for a in actions["areas"][:5]),
                "",
            ]
    return rows


def _soak_section(soak: Dict[str, Any]) -> List[str]:
    rows: List[str] = []
    for name, data in soak.items():
        if "error" in data:
            rows += [f"## Soak: {name}", "", f"Failed: {data['error']}", ""]
            continue
        stored = data.get("stored", {})
        latency = data.get("latency_ms", {})
        rows += [
            f"## Soak: {name}",
            "",
            f"{data['senders']} users ({data.get('socketio_users', 0)} over socket.io) for "
            f"{data['elapsed_s']} s: {data['turns']} turns, {data['turns_per_s']} turns/s, "
            f"p50 {_fmt(latency.get('p50'))} ms, p95 {_fmt(latency.get('p95'))} ms, "
            f"5xx {data['http_5xx']}, no answer {data['http_other_errors']}, "
            f"empty {data['empty_replies']}, failure lines {data.get('degraded_replies')}; "
            f"stored: {stored.get('messages')} messages, "
            f"{stored.get('missing')} missing, {stored.get('extra')} extra, "
            f"{stored.get('problems')} conversations with problems.",
            "",
        ]
    return rows


def failed_targets(checks: List[Dict[str, Any]], deployment: Optional[str] = None) -> List[str]:
    """Names of the targets not met (optionally only those of one deployment)."""
    return [
        c["target"] for c in checks
        if not c["met"] and (deployment is None or c["target"].startswith(f"{deployment}:"))
    ]
