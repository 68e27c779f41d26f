# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the graphops.intune collection
# and may not remain stable to outside uses. Changes may be made in ANY release, even a bugfix release.
"""The Windows update reports of Intune's export API, as Microsoft's page "Intune reports and properties
available using Graph API" lists them: columns, filter columns (required ones first) and localized columns.

Permissions: POST/GET deviceManagement/reports/exportJobs accept any one of
DeviceManagement{Apps,Configuration,ManagedDevices}.{Read,ReadWrite}.All (Intune's 403 names these
six); the page does not say what each report checks. PERMISSIONS below is what the collection asks
for: the profile or policy summaries read update profiles (DeviceManagementConfiguration.Read.All),
the per-device reports also carry device names and users (DeviceManagementManagedDevices.Read.All).
The emulator enforces this table.
"""

from __future__ import annotations

from ansible_collections.graphops.intune.plugins.module_utils.engine.export_job import Report

CONFIGURATION = 'DeviceManagementConfiguration.Read.All'
DEVICES = 'DeviceManagementManagedDevices.Read.All'
POLICY_LEVEL = (CONFIGURATION,)
DEVICE_LEVEL = (CONFIGURATION, DEVICES)

WINDOWS_UPDATE_REPORTS = (
    Report('FeatureUpdateDeviceState', (
        'AADDeviceId', 'AggregateState', 'Build', 'CurrentDeviceUpdateStatus', 'CurrentDeviceUpdateStatusEventDateTimeUTC',
        'CurrentDeviceUpdateSubstatus', 'DeviceId', 'DeviceName', 'EventDateTimeUTC', 'FeatureUpdateVersion',
        'LastSuccessfulDeviceUpdateStatus', 'LastSuccessfulDeviceUpdateStatusEventDateTimeUTC', 'LastSuccessfulDeviceUpdateSubstatus',
        'LastWUScanTimeUTC', 'LatestAlertExtendedRecommendedAction', 'LatestAlertMessage', 'LatestAlertMessageDescription',
        'LatestAlertRecommendedAction', 'OwnerType', 'PartnerPolicyId', 'PolicyId', 'PolicyName', 'UpdateCategory', 'UPN',
        'WindowsUpdateVersion'),
        filters=('PolicyId', 'AggregateState', 'LatestAlertMessage', 'OwnerType'), required_filters=('PolicyId',),
        localizable=('AggregateState', 'CurrentDeviceUpdateStatus', 'CurrentDeviceUpdateSubstatus', 'LatestAlertMessage', 'OwnerType'),
        permissions=DEVICE_LEVEL, location='Reports > Windows updates > Reports > Windows Feature Update Report'),
    Report('FeatureUpdatePolicyFailuresAggregate', ('FeatureUpdateVersion', 'NumberOfDevicesWithErrors', 'PolicyId', 'PolicyName'),
           permissions=POLICY_LEVEL, location='Devices > Monitor > Failure for feature updates', device_level=False),
    Report('FeatureUpdatePolicyStatusSummary', (
        'CountDevicesErrorStatus', 'CountDevicesInProgressStatus', 'CountDevicesSuccessStatus', 'FeatureUpdateVersion', 'PolicyId',
        'PolicyName'), permissions=POLICY_LEVEL, location='Devices > Manage updates > Windows updates > Feature updates',
        device_level=False),
    Report('DeviceFailuresByFeatureUpdatePolicy', (
        'AADDeviceId', 'AlertClassification', 'AlertId', 'AlertMessage', 'AlertMessageData', 'AlertMessageDescription', 'AlertStatus',
        'AlertType', 'Build', 'DeviceId', 'DeviceName', 'EventDateTimeUTC', 'ExtendedRecommendedAction', 'FeatureUpdateVersion',
        'LastUpdatedAlertStatusDateTimeUTC', 'PolicyId', 'PolicyName', 'RecommendedAction', 'ResolvedDateTimeUTC', 'StartDateTimeUTC',
        'UPN', 'Win32ErrorCode', 'WindowsUpdateVersion'),
        filters=('PolicyId', 'AlertMessage', 'RecommendedAction', 'WindowsUpdateVersion'), required_filters=('PolicyId',),
        localizable=('AlertMessage', 'AlertStatus', 'AlertType', 'AlertClassification', 'RecommendedAction'),
        permissions=DEVICE_LEVEL, location='Devices > Monitor > Failure for feature updates > (an error)'),
    Report('QualityUpdateDeviceErrorsByPolicy', (
        'AlertMessage', 'AlertMessage_loc', 'DeviceId', 'DeviceName', 'ExpediteQUReleaseDate', 'PolicyId', 'UPN', 'Win32ErrorCode'),
        filters=('PolicyId', 'AlertMessage'), required_filters=('PolicyId',), permissions=DEVICE_LEVEL,
        location='Devices > Monitor > Windows Expedited update failures > (a profile)'),
    Report('QualityUpdateDeviceStatusByPolicy', (
        'AADDeviceId', 'AggregateState', 'AggregateState_loc', 'CurrentDeviceUpdateStatus', 'CurrentDeviceUpdateStatus_loc',
        'CurrentDeviceUpdateSubstatus', 'CurrentDeviceUpdateSubstatus_loc', 'DeviceId', 'DeviceName', 'EventDateTimeUTC',
        'LastWUScanTimeUTC', 'LatestAlertMessage', 'LatestAlertMessage_loc', 'OwnerType', 'PolicyId', 'UPN'),
        filters=('PolicyId', 'AggregateState', 'OwnerType'), required_filters=('PolicyId',), permissions=DEVICE_LEVEL,
        location='Reports > Windows updates > Reports > Windows Expedited Update Report'),
    Report('QualityUpdatePolicyStatusSummary', (
        'CountDevicesErrorStatus', 'CountDevicesInProgressStatus', 'CountDevicesSuccessStatus', 'ExpediteQUReleaseDate', 'PolicyId',
        'PolicyName'), permissions=POLICY_LEVEL, location='Reports > Device management > Windows updates', device_level=False),
    Report('DriverUpdatePolicyStatusSummary', (
        'CountDevicesCancelledStatus', 'CountDevicesErrorStatus', 'CountDevicesInProgressStatus', 'CountDevicesSuccessStatus',
        'CountOfNeedsReviewDrivers', 'CountOfPausedDrivers', 'PolicyId', 'PolicyName'),
        permissions=POLICY_LEVEL, location='Devices > Manage updates > Windows updates > Driver updates', device_level=False),
    Report('WindowsUpdatePerPolicyPerDeviceStatus', (
        'AggregateState', 'CurrentDeviceUpdateStatus', 'DeviceId', 'DeviceName', 'LatestAlertMessage', 'PolicyId', 'UPN'),
        permissions=DEVICE_LEVEL, location='Devices > Manage updates > Windows updates'),
)

REPORT_NAMES = tuple(report.name for report in WINDOWS_UPDATE_REPORTS)
