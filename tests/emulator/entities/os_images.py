"""Windows OS images: /deviceManagement/managedDeviceWindowsOSImages (Microsoft's catalogue: GET and PATCH only)."""
from __future__ import annotations

from ..declaration import Entity
from ..schema import INTUNE_CONFIGURATION, graph_enum
from ..validation import Collection, Complex, Date, EntityType, Int, String

MANAGED_DEVICE_ARCHITECTURE = graph_enum("managedDeviceArchitecture", ("unknown", "x86", "x64", "arm", "arM64"))
EDITION_TYPE = graph_enum("managedDeviceWindowsOperatingSystemEditionType", (
    "professional", "professionalN", "enterprise", "enterpriseN", "education", "educationN", "proEducation", "proEducationN",
    "proWorkstation", "proWorkstationN", "unknownFutureValue"))
OS_EDITION = Complex(
    "microsoft.graph.managedDeviceWindowsOperatingSystemEdition",
    {"editionType": EDITION_TYPE, "supportEndDate": Date()},
    odata_type="microsoft.graph.managedDeviceWindowsOperatingSystemEdition",
)
OS_UPDATE = Complex(
    "microsoft.graph.managedDeviceWindowsOperatingSystemUpdate",
    {"buildVersion": String(), "releaseMonth": Int(), "releaseYear": Int()},
    odata_type="microsoft.graph.managedDeviceWindowsOperatingSystemUpdate",
)
OS_IMAGE = EntityType(
    "microsoft.graph.managedDeviceWindowsOperatingSystemImage",
    {
        "supportedEditions": Collection(OS_EDITION),
        "supportedArchitectures": Collection(MANAGED_DEVICE_ARCHITECTURE),
        "availableUpdates": Collection(OS_UPDATE),
    },
)

OS_IMAGES = Entity(
    "managedDeviceWindowsOSImage", OS_IMAGE, path=("deviceManagement", "managedDeviceWindowsOSImages"), key="imageId", store="osImages",
    seed=("deviceManagement", "managedDeviceWindowsOSImages"), methods=("GET", "PATCH"), service=INTUNE_CONFIGURATION,
    seed_needs_id="every managedDeviceWindowsOSImage needs an id (e.g. 'Windows 11 22H1')",
)
