"""Rows of the paginated units endpoints, derived deterministically from an organization's /usage lists."""

from . import generate

TEST_KEYS = ("aid", "accountGroupName", "testId", "testName", "testType", "isInstantTest",
             "cloudUnitsUsed", "cloudUnitsProjected", "enterpriseUnitsUsed", "enterpriseUnitsProjected")
AGENT_KEYS = ("aid", "accountGroupName", "agentId", "agentName", "enterpriseUnitsUsed", "enterpriseUnitsProjected")
ENTERPRISE_FIELDS = ("enterpriseUnitsUsed", "enterpriseUnitsProjected")
CLOUD_FIELDS = ("cloudUnitsUsed", "cloudUnitsProjected")
# A shared agent serves its primary account group and at most two more.
MAX_SHARERS = 3


def _ordered(row, keys):
    """Documented keys first in schema order, then any extra keys the scenario gave (forward compatibility)."""
    out = dict((key, row[key]) for key in keys if key in row)
    out.update((key, value) for key, value in row.items() if key not in out)
    return out


def _sharers(index, aid, aids):
    """Account groups whose tests run on agent `index`: its primary group first, then the next ones in scenario order."""
    if aid not in aids:
        return [aid]
    start = aids.index(aid)
    count = 1 + index % min(MAX_SHARERS, len(aids))
    return [aids[(start + k) % len(aids)] for k in range(count)]


def enterprise_agents(agents, groups):
    """One row per (agent, account group using it); the rows of one agent add up to its /usage totals exactly."""
    aids = list(groups)
    rows = []
    for index, agent in enumerate(agents):
        sharers = _sharers(index, agent.get("aid"), aids)
        share_weights = generate.weights(len(sharers), start=index)
        parts = dict((field, generate.spread(int(agent[field]), share_weights)) for field in ENTERPRISE_FIELDS if field in agent)
        for k, aid in enumerate(sharers):
            row = dict(agent)
            if k:
                row["aid"] = aid
                row["accountGroupName"] = groups[aid]
            for field, values in parts.items():
                row[field] = values[k]
            rows.append(_ordered(row, AGENT_KEYS))
    return rows


def _per_aid(rows, field):
    totals = {}
    for row in rows:
        if field in row:
            totals[row.get("aid")] = totals.get(row.get("aid"), 0) + int(row[field])
    return totals


def _next_test_id(tests):
    ids = [int(test["testId"]) for test in tests if str(test.get("testId", "")).isdigit()]
    return max(ids) + 1 if ids else 1


def instant_tests(count, groups, totals, first_id):
    """One-off tests absent from /usage?expand=test: a few cloud units each, projected = used, no enterprise units."""
    aids = list(groups)
    rows = []
    for i in range(count if aids else 0):
        aid = aids[i % len(aids)]
        test_type, short = generate.TEST_TYPES[(i * 3) % len(generate.TEST_TYPES)]
        row = {"aid": aid, "accountGroupName": groups[aid], "testId": str(first_id + i),
               "testName": "instant-%s-%02d.example.com" % (short, i + 1), "testType": test_type, "isInstantTest": True}
        units = 2 + (i * 7) % 9
        for field in CLOUD_FIELDS:
            if field in totals:
                row[field] = units
        for field in ENTERPRISE_FIELDS:
            if field in totals:
                row[field] = 0
        rows.append(row)
    return rows


def tests(usage_tests, groups, agent_rows, totals, instant_count):
    """The /usage tests (same ids, names and cloud units) plus `instant_count` instant tests.

    Each account group's enterprise units (its share of the agent rows) are spread over its tests, so both units
    endpoints and /usage agree; the enterprise fields appear only when the organization reports them.
    """
    rows = []
    members = {}
    for index, test in enumerate(usage_tests):
        row = dict(test)
        row["isInstantTest"] = False
        rows.append(row)
        members.setdefault(test.get("aid"), []).append(index)
    for field in ENTERPRISE_FIELDS:
        if field not in totals:
            continue
        aid_totals = _per_aid(agent_rows, field)
        for aid, indexes in members.items():
            for index, value in zip(indexes, generate.spread(aid_totals.get(aid, 0), generate.weights(len(indexes)))):
                rows[index][field] = value
    rows = [_ordered(row, TEST_KEYS) for row in rows]
    return rows + instant_tests(instant_count, groups, totals, _next_test_id(usage_tests))
