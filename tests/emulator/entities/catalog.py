"""The windowsUpdates catalog: /admin/windows/updates/catalog/entries, read-only, seeded.

catalogEntry is abstract: each entry is one of the derived types below (by @odata.type); a type cast segment
(entries/microsoft.graph.windowsUpdates.featureUpdateCatalogEntry) lists the entries of one type.
"""
from __future__ import annotations

from ..declaration import Entity
from ..schema import QUALITY_UPDATE_CADENCE, QUALITY_UPDATE_CLASSIFICATION, WINDOWS_UPDATES, WU
from ..validation import Boolean, Collection, Complex, DateTimeOffset, Double, Enum, EntityType, Int, String, ValidationError

CVE_SEVERITY_LEVEL = Enum(WU + "cveSeverityLevel", ("critical", "important", "moderate", "unknownFutureValue"))
KNOWLEDGE_BASE_ARTICLE = Complex(WU + "knowledgeBaseArticle", {"id": String(), "url": String()})
BUILD_VERSION_DETAILS = Complex(WU + "buildVersionDetails", {"majorVersion": Int(), "minorVersion": Int(), "buildNumber": Int(),
                                                             "updateBuildRevision": Int()})
PRODUCT_REVISION = Complex(WU + "productRevision", {
    "id": String(), "displayName": String(), "releaseDateTime": DateTimeOffset(), "version": String(), "product": String(),
    "isHotpatchUpdate": Boolean(), "osBuild": BUILD_VERSION_DETAILS, "knowledgeBaseArticle": KNOWLEDGE_BASE_ARTICLE,
}, defaults={"isHotpatchUpdate": False})
CVE_INFORMATION = Complex(WU + "cveInformation", {"number": String(), "url": String()})
CVE_SEVERITY_INFORMATION = Complex(WU + "qualityUpdateCveSeverityInformation", {
    "exploitedCves": Collection(CVE_INFORMATION), "maxBaseScore": Double(), "maxSeverity": CVE_SEVERITY_LEVEL,
})

# catalogEntry <- softwareUpdateCatalogEntry <- quality / feature / driver / recovery (derived types, by @odata.type).
_CATALOG_COMMON = {"displayName": String(), "releaseDateTime": DateTimeOffset(), "deployableUntilDateTime": DateTimeOffset()}
CATALOG_ENTRY_TYPES = {
    WU + "qualityUpdateCatalogEntry": dict(_CATALOG_COMMON, **{
        "catalogName": String(), "shortName": String(), "isExpeditable": Boolean(),
        "qualityUpdateClassification": QUALITY_UPDATE_CLASSIFICATION, "qualityUpdateCadence": QUALITY_UPDATE_CADENCE,
        "cveSeverityInformation": CVE_SEVERITY_INFORMATION, "productRevisions": Collection(PRODUCT_REVISION)}),
    WU + "featureUpdateCatalogEntry": dict(_CATALOG_COMMON, **{"buildNumber": String(), "version": String()}),
    WU + "driverUpdateCatalogEntry": dict(_CATALOG_COMMON, **{
        "description": String(), "driverClass": String(), "manufacturer": String(), "provider": String(),
        "setupInformationFile": String(), "version": String(), "versionDateTime": DateTimeOffset()}),
    WU + "recoveryUpdateCatalogEntry": dict(_CATALOG_COMMON, **{"catalogName": String(), "productRevisions": Collection(PRODUCT_REVISION)}),
}
CATALOG_ENTRY_BASES = (WU + "softwareUpdateCatalogEntry", WU + "catalogEntry")


class CatalogEntryType(EntityType):
    """catalogEntry (abstract): each entry is one of the derived types; $select/$filter/$orderby know catalogEntry's properties."""

    def __init__(self):
        super().__init__(WU + "catalogEntry", dict(_CATALOG_COMMON), server_fields=("id",))
        self.type_bases = dict((name, CATALOG_ENTRY_BASES) for name in CATALOG_ENTRY_TYPES)

    def from_seed(self, data: dict) -> dict:
        type_name = (data.get("@odata.type") or "").lstrip("#")
        if type_name not in CATALOG_ENTRY_TYPES:
            raise ValidationError("A catalog entry needs an '@odata.type' naming one of %s, got '%s'."
                                  % (", ".join(sorted(CATALOG_ENTRY_TYPES)), data.get("@odata.type")))
        properties = CATALOG_ENTRY_TYPES[type_name]
        entity = {"@odata.type": "#" + type_name, "id": data["id"]}
        for key, prop in properties.items():
            value = data.get(key)
            if value is None:
                entity[key] = [] if isinstance(prop, Collection) else None
                continue
            entity[key] = prop.check(value, key)
        unknown = set(data) - set(properties) - {"@odata.type", "id"}
        if unknown:
            raise ValidationError("The property '%s' does not exist on type '%s'." % (sorted(unknown)[0], type_name))
        return entity


CATALOG_ENTRIES = Entity(
    "catalog entry", CatalogEntryType(), plural="catalog entries",
    path=("admin", "windows", "updates", "catalog", "entries"), key="entryId", store="catalogEntries",
    seed=("windowsUpdates", "catalog", "entries"), seed_needs_id="every catalog entry needs an id",
    methods=("GET",), type_casts=sorted(CATALOG_ENTRY_TYPES), service=WINDOWS_UPDATES,
)
