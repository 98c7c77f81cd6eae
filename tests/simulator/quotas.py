"""Quotas: per-simulator quota state (QuotaBook), GET /v7/quotas and the four POST /v7/quotas/... operations."""

import json
import threading

from . import responses

EDIT_QUOTAS = "Edit quotas"
INSTANCE = "/v7/quotas"
ASSIGN = "/v7/quotas/assign"
UNASSIGN = "/v7/quotas/unassign"
GROUPS_ASSIGN = "/v7/quotas/account-groups/assign"
GROUPS_UNASSIGN = "/v7/quotas/account-groups/unassign"
MAX_VALUE = 2 ** 63 - 1  # values are int64


class QuotaBook:
    """Organization and account-group quotas of one simulator: a copy of the scenario's, so a reset restores them."""

    def __init__(self, scenario):
        self._lock = threading.Lock()
        self._values = {}
        self._groups = {}
        self._order = {}
        for org_id, org in scenario.organizations.items():
            value, groups = org.initial_quotas
            if value is not None:
                self._values[org_id] = value
            self._groups[org_id] = dict(groups)
            self._order[org_id] = list(org.groups)

    def entry(self, org_id):
        """One `quotas[]` item; without an organization quota, `organizationQuota` holds only `orgId`."""
        with self._lock:
            org_quota = {"orgId": org_id}
            if org_id in self._values:
                org_quota["value"] = self._values[org_id]
            groups = self._groups.get(org_id, {})
            group_quotas = [{"aid": aid, "value": groups[aid]} for aid in self._order.get(org_id, []) if aid in groups]
        return {"organizationQuota": org_quota, "accountGroupQuotas": group_quotas}

    def state(self):
        """{org id: {"value": N or None, "accountGroups": {aid: N}}} for every organization of the scenario."""
        with self._lock:
            return dict((org_id, {"value": self._values.get(org_id), "accountGroups": dict(groups)})
                        for org_id, groups in self._groups.items())

    # Each change is applied whole under the lock, after the request was validated.

    def assign(self, changes):
        with self._lock:
            for org_id, value in changes:
                self._values[org_id] = value

    def unassign(self, org_ids):
        with self._lock:
            for org_id in org_ids:
                self._values.pop(org_id, None)

    def assign_groups(self, changes):
        with self._lock:
            for org_id, pairs in changes:
                self._groups.setdefault(org_id, {}).update(pairs)

    def unassign_groups(self, changes):
        with self._lock:
            for org_id, aids in changes:
                for aid in aids:
                    self._groups.get(org_id, {}).pop(aid, None)


class Errors:
    """The `errors` list of a 400 ValidationError, filled while checking the whole body."""

    def __init__(self):
        self.items = []

    def add(self, code, field, message):
        self.items.append({"code": code, "field": field, "message": message})

    def reply(self, instance):
        fields = []
        for item in self.items:
            if item["field"] not in fields:
                fields.append(item["field"])
        return responses.validation_problem("Invalid request body: %s" % ", ".join(fields), instance, self.items)


def _refusal(call, instance):
    """403 without the edit-quotas permission, 415 for a POST body that is not JSON; None when the call may go on."""
    if not call.user.can_edit_quotas:
        return responses.forbidden(instance)
    if call.request.method == "POST":
        content_type = call.request.headers.get("Content-Type")
        media = (content_type or "").split(";")[0].strip().lower()
        # A missing Content-Type is tolerated; a declared non-JSON one is what a client bug looks like.
        if content_type is not None and media != responses.JSON and not media.endswith("+json"):
            return responses.unsupported_media_type(content_type, instance)
    return None


def _organizations(call, errors):
    """The body's `organizations` array, or [] after recording why the body is unusable."""
    try:
        data = json.loads(call.request.body.decode("utf-8"))
    except ValueError:
        errors.add("INVALID_FORMAT", "body", "The request body is not valid JSON")
        return []
    if not isinstance(data, dict) or "organizations" not in data:
        errors.add("MISSING_FIELD", "organizations", 'The body must be a JSON object with an "organizations" array')
        return []
    if not isinstance(data["organizations"], list):
        errors.add("INVALID_VALUE", "organizations", '"organizations" must be an array')
        return []
    return data["organizations"]


def _org_id(call, value, field, errors):
    """A known organization id of the user, or None after recording an error."""
    if not isinstance(value, str) or value not in call.user.orgs:
        errors.add("INVALID_VALUE", field, "Unknown organization %s: not one of the user's organizations" % json.dumps(value))
        return None
    return value


def _item_org(call, item, field, errors):
    # orgId may be left out: the caller's organization applies.
    if item.get("orgId") is None:
        return call.user.org
    return _org_id(call, item["orgId"], field + ".orgId", errors)


def _value(item, field, errors):
    if "value" not in item:
        errors.add("MISSING_FIELD", field, "value is required")
        return None
    value = item["value"]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
        errors.add("INVALID_VALUE", field, "Invalid value %s: must be a non-negative integer" % json.dumps(value))
        return None
    return value


def _aid(call, org_id, value, field, errors):
    groups = call.scenario.organizations[org_id].groups if org_id is not None else None
    if value is None:
        errors.add("MISSING_FIELD", field, "aid is required")
        return None
    if not isinstance(value, str) or (groups is not None and value not in groups):
        errors.add("INVALID_VALUE", field, "Unknown account group %s in organization %s" % (json.dumps(value), org_id))
        return None
    return value


def _objects(items, field, errors):
    """(index, field name, item) for the JSON objects of an array; other entries are errors."""
    for index, item in enumerate(items):
        name = "%s[%d]" % (field, index)
        if isinstance(item, dict):
            yield index, name, item
        else:
            errors.add("INVALID_VALUE", name, "must be a JSON object")


def _groups_of(item, field, errors):
    groups = item.get("accountGroups")
    if not isinstance(groups, list):
        errors.add("MISSING_FIELD" if groups is None else "INVALID_VALUE", field + ".accountGroups", "accountGroups must be an array")
        return []
    return groups


def _hal(data):
    return responses.json_reply(200, data, responses.HAL_JSON)


def get_quotas(call):
    refusal = _refusal(call, INSTANCE)
    if refusal is not None:
        return refusal
    body = {"quotas": [call.quotas.entry(org_id) for org_id in call.user.orgs], "_links": {"self": {"href": call.self_href}}}
    return _hal(body)


def assign(call):
    """Adds or updates organization quotas; answers the assignments with every orgId filled in."""
    refusal = _refusal(call, ASSIGN)
    if refusal is not None:
        return refusal
    errors = Errors()
    changes = []
    for _index, field, item in _objects(_organizations(call, errors), "organizations", errors):
        org_id = _item_org(call, item, field, errors)
        value = _value(item, field + ".value", errors)
        changes.append((org_id, value))
    if errors.items:
        return errors.reply(ASSIGN)
    call.quotas.assign(changes)
    return _hal({"organizations": [{"orgId": org_id, "value": value} for org_id, value in changes]})


def unassign(call):
    refusal = _refusal(call, UNASSIGN)
    if refusal is not None:
        return refusal
    errors = Errors()
    org_ids = [_org_id(call, value, "organizations[%d]" % index, errors)
               for index, value in enumerate(_organizations(call, errors))]
    if errors.items:
        return errors.reply(UNASSIGN)
    call.quotas.unassign(org_ids)
    return responses.no_content()


def assign_groups(call):
    """Adds or updates account-group quotas; answers the assignments with every orgId filled in."""
    refusal = _refusal(call, GROUPS_ASSIGN)
    if refusal is not None:
        return refusal
    errors = Errors()
    changes = []
    for _index, field, item in _objects(_organizations(call, errors), "organizations", errors):
        org_id = _item_org(call, item, field, errors)
        pairs = []
        for _inner, name, group in _objects(_groups_of(item, field, errors), field + ".accountGroups", errors):
            pairs.append((_aid(call, org_id, group.get("aid"), name + ".aid", errors), _value(group, name + ".value", errors)))
        changes.append((org_id, pairs))
    if errors.items:
        return errors.reply(GROUPS_ASSIGN)
    call.quotas.assign_groups(changes)
    echo = [{"orgId": org_id, "accountGroups": [{"aid": aid, "value": value} for aid, value in pairs]} for org_id, pairs in changes]
    return _hal({"organizations": echo})


def unassign_groups(call):
    refusal = _refusal(call, GROUPS_UNASSIGN)
    if refusal is not None:
        return refusal
    errors = Errors()
    changes = []
    for _index, field, item in _objects(_organizations(call, errors), "organizations", errors):
        org_id = _item_org(call, item, field, errors)
        groups = _groups_of(item, field, errors)
        changes.append((org_id, [_aid(call, org_id, aid, "%s.accountGroups[%d]" % (field, inner), errors)
                                 for inner, aid in enumerate(groups)]))
    if errors.items:
        return errors.reply(GROUPS_UNASSIGN)
    call.quotas.unassign_groups(changes)
    return responses.no_content()
