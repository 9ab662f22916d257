metadata description = 'The Event Hubs namespace carrying the telemetry stream: the telemetry hub (its partitions are the stream\'s queues), its consumer group, and the dead-letter hub; send and receive rights for the apps\' identity.'

import { roleIds, dataPrincipals } from 'roles.bicep'

@description('Name of the namespace (6-50 characters, globally unique).')
param name string

@description('Azure region of the namespace.')
param location string

@description('Tags of the namespace.')
param tags resourceInput<'Microsoft.EventHub/namespaces@2024-01-01'>.tags

@description('Throughput units: each allows 1 MB/s or 1,000 events/s in and 2 MB/s or 4,096 events/s out.')
@minValue(1)
@maxValue(40)
param capacity int = 1

@description('Let Event Hubs add throughput units under load, up to this many; 0 turns auto-inflate off.')
@minValue(0)
@maxValue(40)
param maximumThroughputUnits int = 0

@description('Name of the telemetry hub the API produces to and the silos read through the Orleans Event Hubs provider.')
param telemetryHubName string

@description('Partitions of the telemetry hub: the stream\'s queues, shared out among the silos, so at most this many silos read. Fixed once the hub exists on the Standard tier.')
@minValue(1)
@maxValue(32)
param telemetryPartitions int

@description('Name of the hub that receives records the silos could not deliver, with the reason in headers.')
param deadLetterHubName string

@description('Consumer group the silos read the telemetry hub as (the Orleans ServiceId).')
param consumerGroupName string

@description('Days the hubs keep events: how long an outage of the silos can last without losing telemetry (Standard allows 7).')
@minValue(1)
@maxValue(7)
param retentionInDays int = 7

@description('Name of the apps\' managed identity (names its role assignments).')
param appIdentityName string

@description('Principal id of the apps\' managed identity.')
param appPrincipalId string

@description('Object id of the developer running azd, who also gets send and receive rights; empty for none.')
param developerPrincipalId string = ''

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Standard: consumer groups, and 7 days of retention.
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    // Entra ID only (the apps' managed identity): no shared access keys to leak.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    isAutoInflateEnabled: maximumThroughputUnits > 0
    maximumThroughputUnits: maximumThroughputUnits
  }
}

resource telemetryHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: telemetryHubName
  properties: {
    partitionCount: telemetryPartitions
    messageRetentionInDays: retentionInDays
  }
}

// The silos read the hub under this consumer group (the provider's checkpoints live in the storage account's tables),
// so other readers, the portal's tools among them, never move the service's position.
resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: telemetryHub
  name: consumerGroupName
}

resource deadLetterHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: deadLetterHubName
  properties: {
    // Dead letters are rare and read by people: few partitions, the longest retention.
    partitionCount: 2
    messageRetentionInDays: 7
  }
}

var dataRoles = [ roleIds.eventHubsDataReceiver, roleIds.eventHubsDataSender ]
var grants = flatten(map(dataPrincipals(appIdentityName, appPrincipalId, developerPrincipalId), principal => map(dataRoles, role => { principal: principal, role: role })))

resource dataRights 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in grants: {
    name: guid(namespace.id, grant.principal.key, grant.role)
    scope: namespace
    properties: {
      principalId: grant.principal.id
      principalType: grant.principal.?type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
    }
  }
]

@description('Name of the namespace; the apps connect to <name>.servicebus.windows.net.')
output name string = namespace.name

@description('Name of the telemetry hub.')
output telemetryHubName string = telemetryHub.name

@description('Name of the dead-letter hub.')
output deadLetterHubName string = deadLetterHub.name

@description('Name of the consumer group.')
output consumerGroupName string = consumerGroup.name
