"""Device update states of an update ring profile:
/deviceManagement/deviceConfigurations/{id}/microsoft.graph.windowsUpdateForBusinessConfiguration/deviceUpdateStates."""
from __future__ import annotations

from ..declaration import Entity
from ..schema import INTUNE_CONFIGURATION, graph_enum
from ..validation import DateTimeOffset, EntityType, String
from .wufb_configurations import WUFB_CONFIGURATIONS

WINDOWS_UPDATE_STATUS = graph_enum("windowsUpdateStatus", ("upToDate", "pendingInstallation", "pendingReboot", "failed"))
WINDOWS_UPDATE_STATE = EntityType(
    "microsoft.graph.windowsUpdateState",
    {
        "deviceId": String(),
        "userId": String(),
        "deviceDisplayName": String(),
        "userPrincipalName": String(),
        "status": WINDOWS_UPDATE_STATUS,
        "qualityUpdateVersion": String(),
        "featureUpdateVersion": String(),
        "lastScanDateTime": DateTimeOffset(),
        "lastSyncDateTime": DateTimeOffset(),
    },
    defaults={"status": "upToDate"},
)

UPDATE_STATES = Entity("deviceUpdateState", WINDOWS_UPDATE_STATE, parent=WUFB_CONFIGURATIONS, path=("deviceUpdateStates",), key="stateId",
                       store="deviceUpdateStates", service=INTUNE_CONFIGURATION, snapshot_empty=False)
