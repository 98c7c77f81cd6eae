"""Loading scenario JSON files into organizations, users and (generated) usage lists; building usage bodies."""

import datetime
import json
import os
import threading

from . import breakdowns, generate
from . import faults as faults_mod
from .quotas import EDIT_QUOTAS
from .usage import EXPAND, VIEW_USAGE

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios")
DEFAULT = "default"
BILLING = ("metered", "legacy")
INSTANT_TESTS = 3

_CACHE = {}
_CACHE_LOCK = threading.Lock()


def available():
    """Names of the scenarios shipped in scenarios/."""
    return sorted(name[:-5] for name in os.listdir(SCENARIO_DIR) if name.endswith(".json"))


def resolve(scenario):
    """(path, name) for a shipped scenario name or a path to a scenario JSON file."""
    if os.path.isfile(scenario):
        path = os.path.abspath(scenario)
        return path, os.path.splitext(os.path.basename(path))[0]
    path = os.path.join(SCENARIO_DIR, scenario + ".json")
    if os.sep in scenario or "/" in scenario or not os.path.isfile(path):
        raise ValueError("unknown scenario %r; shipped: %s (or give a path to a JSON file)" % (scenario, ", ".join(available())))
    return path, scenario


def _read(path):
    with open(path, "rb") as handle:
        try:
            data = json.loads(handle.read().decode("utf-8"))
        except ValueError as exc:
            raise ValueError("scenario %s is not valid JSON: %s" % (path, exc)) from exc
    if not isinstance(data, dict):
        raise ValueError("scenario %s must hold a JSON object" % path)
    return data


def _inherit(raw):
    """Scenarios may omit tokens, and organizations their tokens use; those come from the default scenario."""
    base = _read(os.path.join(SCENARIO_DIR, DEFAULT + ".json"))
    if "tokens" not in raw:
        raw["tokens"] = base["tokens"]
    orgs = raw.setdefault("organizations", {})
    for user in raw["tokens"].values():
        for org in [user.get("org")] + list(user.get("orgs", [])):
            org = str(org)
            if org not in orgs and org in base["organizations"]:
                orgs[org] = base["organizations"][org]


def load(scenario, cache=True):
    """A Scenario, built (lists generated) once per file version and cached unless cache=False."""
    path, name = resolve(scenario)
    key = (path, os.stat(path).st_mtime_ns)
    with _CACHE_LOCK:
        cached = _CACHE.get(key) if cache else None
    if cached is not None:
        return cached
    raw = _read(path)
    if path != os.path.join(SCENARIO_DIR, DEFAULT + ".json"):
        _inherit(raw)
    built = Scenario(name, path, raw)
    with _CACHE_LOCK:
        _CACHE[key] = built
    return built


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def period_bounds(spec, now):
    """(monthStart, monthEnd) strings; relative periods start at UTC midnight N days before now, so data never goes stale."""
    if "monthStart" in spec or "monthEnd" in spec:
        return spec.get("monthStart"), spec.get("monthEnd")
    today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    start = today - datetime.timedelta(days=int(spec.get("started_days_ago", 0)))
    end = start + datetime.timedelta(days=int(spec.get("length_days", 30)))
    return iso(start), iso(end)


class User:
    """The user behind one API token."""

    def __init__(self, raw):
        self.org = str(raw["org"])
        self.aids = [str(aid) for aid in raw["aids"]]
        self.default_aid = str(raw.get("default_aid", self.aids[0] if self.aids else ""))
        self.permissions = frozenset(raw.get("permissions", []))
        # The organizations the user belongs to (GET /quotas lists each); the token's own comes first.
        self.orgs = [self.org] + [str(org) for org in raw.get("orgs", []) if str(org) != self.org]
        if self.default_aid not in self.aids:
            raise ValueError("default_aid %s is not one of the token's aids" % self.default_aid)

    @property
    def can_view_usage(self):
        return VIEW_USAGE in self.permissions

    @property
    def can_edit_quotas(self):
        return EDIT_QUOTAS in self.permissions


def _quota_value(value, where):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("%s must be a non-negative integer, got %r" % (where, value))
    return value


class Organization:
    """One organization's billing period, quota, usage totals and expanded lists."""

    def __init__(self, org_id, raw):
        self.org_id = org_id
        self.name = raw.get("name", "Organization %s" % org_id)
        self.billing = raw.get("billing", "metered")
        if self.billing not in BILLING:
            raise ValueError("organization %s: billing must be one of %s" % (org_id, ", ".join(BILLING)))
        self.groups = dict((str(aid), name) for aid, name in raw.get("account_groups", {}).items())
        self.period = raw.get("period")
        self.quota = raw.get("quota")
        self.totals = raw.get("usage", {})
        self.lists = {}
        for name, spec in raw.get("lists", {}).items():
            if name not in EXPAND.values():
                raise ValueError("organization %s: unknown list %s (known: %s)" % (org_id, name, ", ".join(EXPAND.values())))
            self.lists[name] = generate.build_list(name, spec, self.groups, self.totals)
        self.instant_tests = int(raw.get("instant_tests", INSTANT_TESTS))
        self.initial_quotas = self._quotas(raw.get("quotas") or {})
        self._units = None
        self._units_lock = threading.Lock()

    def _quotas(self, raw):
        """(organization quota or None, {aid: value}) from `"quotas": {"organization": N, "account_groups": {aid: N}}`."""
        value = raw.get("organization")
        if value is not None:
            value = _quota_value(value, "organization %s: quotas.organization" % self.org_id)
        groups = {}
        for aid, group_value in raw.get("account_groups", {}).items():
            if str(aid) not in self.groups:
                raise ValueError("organization %s: quota for unknown account group %s" % (self.org_id, aid))
            groups[str(aid)] = _quota_value(group_value, "organization %s: quota of account group %s" % (self.org_id, aid))
        return value, groups

    def units(self):
        """(test rows, enterprise-agent rows) of the units endpoints, derived on first use and kept with the scenario.

        Lazy, so loading `large` stays fast for callers that never page through its 100,000 rows.
        """
        with self._units_lock:
            if self._units is None:
                agents = breakdowns.enterprise_agents(self.lists.get("enterpriseAgentUnits", []), self.groups)
                tests = breakdowns.tests(self.lists.get("tests", []), self.groups, agents, self.totals, self.instant_tests)
                self._units = (tests, agents)
            return self._units

    def usage(self, list_names, now, changes=None):
        """The `usage` object: quota first, totals as the scenario gives them (with Simulator.set_usage's `changes`),
        then the requested lists."""
        changes = dict(changes or {})
        quota_changes = changes.pop("quota", None)
        body = {}
        if self.quota is not None or self.period is not None or quota_changes:
            quota = {}
            if self.period is not None:
                quota["monthStart"], quota["monthEnd"] = period_bounds(self.period, now)
            quota.update(self.quota or {})
            quota.update(quota_changes or {})
            body["quota"] = quota
        body.update(self.totals)
        body.update(changes)
        for name in list_names:
            body[name] = self.lists.get(name, [])
        return body


class Scenario:
    """Tokens, organizations and scenario-wide faults of one scenario file."""

    def __init__(self, name, path, raw):
        self.name = name
        self.path = path
        try:
            self.organizations = dict((str(oid), Organization(str(oid), org)) for oid, org in raw.get("organizations", {}).items())
            self.tokens = dict((token, User(user)) for token, user in raw.get("tokens", {}).items())
            self.faults = faults_mod.validate_all(raw.get("faults"))
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ValueError("scenario %s is invalid: %s: %s" % (name, type(exc).__name__, exc)) from exc
        for token, user in self.tokens.items():
            for org in user.orgs:
                if org not in self.organizations:
                    raise ValueError("scenario %s: token %s... belongs to unknown organization %s" % (name, token[:8], org))
            # Every aid of a user is an account group of one of the user's organizations (its `org` or `orgs`).
            owned = set(aid for org in user.orgs for aid in self.organizations[org].groups)
            for aid in user.aids:
                if aid not in owned:
                    raise ValueError("scenario %s: token %s...: aid %s is not an account group of its organizations (%s)"
                                     % (name, token[:8], aid, ", ".join(user.orgs)))

    def org_for_aid(self, aid):
        """The organization that owns an account group, or None."""
        for org in self.organizations.values():
            if aid in org.groups:
                return org
        return None

    def account_groups(self, user):
        """(Organization, aid, name) of every account group the user belongs to: organizations in the user's order
        (its own first), each one's groups in scenario order."""
        mine = set(user.aids)
        return [(org, aid, group_name)
                for org in (self.organizations[org_id] for org_id in user.orgs)
                for aid, group_name in org.groups.items() if aid in mine]
