"""Deterministic generation of the expanded usage lists, spreading an organization's totals over the items."""

# (testType display text, short name used in generated test names)
TEST_TYPES = (
    ("Web - HTTP Server", "http"),
    ("Network - Agent to Server", "a2s"),
    ("Web - Page Load", "pageload"),
    ("DNS Server", "dns"),
    ("Web - Transaction", "transaction"),
    ("Network - Agent to Agent", "a2a"),
    ("Routing - BGP", "bgp"),
    ("Web - API", "api"),
    ("Voice - RTP Stream", "rtp"),
    ("DNS - Trace", "dnstrace"),
)

# Lists split per account group, and the usage total each one spreads.
PER_ACCOUNT_GROUP = {
    "endpointAgents": "endpointAgentsUsed",
    "endpointAgentsEssentials": "endpointAgentsEssentialsUsed",
    "endpointAgentsEmbedded": "endpointAgentsEmbeddedUsed",
    "enterpriseAgents": "enterpriseAgentsUsed",
}


def weights(count, start=0):
    """Varied but fixed weights (1..101), so every run of a scenario yields the same numbers."""
    return [1 + (i * 7919 + 13) % 101 for i in range(start, start + count)]


def spread(total, item_weights):
    """Split an integer total in proportion to the weights; the parts add up to the total exactly."""
    if not item_weights:
        return []
    wsum = sum(item_weights)
    parts = [total * w // wsum for w in item_weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


def _spread_field(usage, field, item_weights):
    """Parts for a usage total, or None when the organization does not report that field at all."""
    if field not in usage:
        return None
    return spread(int(usage[field]), item_weights)


def tests(spec, groups, usage):
    """`{"generate": N, "without_projected": K, "first_id": I, "extra": {...}}`: the last K tests are new (no projection)."""
    count = int(spec["generate"])
    without = min(int(spec.get("without_projected", 0)), count)
    first_id = int(spec.get("first_id", 1000000))
    extra = spec.get("extra") or {}
    aids = list(groups)
    item_weights = weights(count)
    used = _spread_field(usage, "cloudUnitsUsed", item_weights)
    projected = _spread_field(usage, "cloudUnitsProjected", item_weights[:count - without])
    items = []
    for i in range(count):
        # Blocks of one test per type, blocks alternating between account groups.
        aid = aids[(i // len(TEST_TYPES)) % len(aids)]
        test_type, short = TEST_TYPES[i % len(TEST_TYPES)]
        item = {
            "aid": aid,
            "accountGroupName": groups[aid],
            "testId": str(first_id + i),
            "testName": "%s-%06d.example.com" % (short, i + 1),
            "testType": test_type,
        }
        if used is not None:
            item["cloudUnitsUsed"] = used[i]
        if projected is not None and i < count - without:
            item["cloudUnitsProjected"] = projected[i]
        item.update(extra)
        items.append(item)
    return items


def enterprise_agent_units(spec, groups, usage):
    """`{"generate": N, "without_agent_id": K, "first_id": I, "extra": {...}}`: the last K agents have no agentId."""
    count = int(spec["generate"])
    without = int(spec.get("without_agent_id", 0))
    first_id = int(spec.get("first_id", 5000))
    extra = spec.get("extra") or {}
    aids = list(groups)
    item_weights = weights(count)
    used = _spread_field(usage, "enterpriseUnitsUsed", item_weights)
    projected = _spread_field(usage, "enterpriseUnitsProjected", item_weights)
    items = []
    for i in range(count):
        aid = aids[i % len(aids)]
        item = {"aid": aid, "accountGroupName": groups[aid]}
        if i < count - without:
            item["agentId"] = str(first_id + i)
        item["agentName"] = "ea-%s-%02d" % (aid, i + 1)
        if used is not None:
            item["enterpriseUnitsUsed"] = used[i]
        if projected is not None:
            item["enterpriseUnitsProjected"] = projected[i]
        item.update(extra)
        items.append(item)
    return items


def per_account_group(name, spec, groups, usage):
    """`{"generate": "account_groups"}`: one item per account group sharing the matching usage total."""
    field = PER_ACCOUNT_GROUP[name]
    aids = list(groups)
    parts = _spread_field(usage, field, weights(len(aids)))
    items = []
    for i, aid in enumerate(aids):
        item = {"aid": aid, "accountGroupName": groups[aid]}
        if parts is not None:
            item[field] = parts[i]
        item.update(spec.get("extra") or {})
        items.append(item)
    return items


def build_list(name, spec, groups, usage):
    """An explicit list is used as is; a {"generate": ...} spec is expanded once, at scenario load."""
    if isinstance(spec, list):
        return spec
    if not isinstance(spec, dict) or "generate" not in spec:
        raise ValueError("list %s must be a JSON array or {\"generate\": ...}" % name)
    if not groups:
        raise ValueError("list %s: generating needs the organization's account_groups" % name)
    if spec["generate"] == "account_groups":
        if name not in PER_ACCOUNT_GROUP:
            raise ValueError("list %s cannot be generated per account group" % name)
        return per_account_group(name, spec, groups, usage)
    if name == "tests":
        return tests(spec, groups, usage)
    if name == "enterpriseAgentUnits":
        return enterprise_agent_units(spec, groups, usage)
    raise ValueError("list %s supports only {\"generate\": \"account_groups\"}" % name)
