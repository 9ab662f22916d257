metadata description = 'The storage account behind the Azure mode\'s tables: grain state, cluster membership, reminders and the telemetry history (the apps create their tables at startup).'

import { roleIds, dataPrincipals } from 'roles.bicep'

@description('Name of the account (3-24 lowercase letters and digits, globally unique).')
param name string

@description('Azure region of the account.')
param location string

@description('Tags of the account.')
param tags resourceInput<'Microsoft.Storage/storageAccounts@2024-01-01'>.tags

@description('Redundancy of the account: Standard_LRS keeps three copies in one datacenter; Standard_ZRS spreads them over zones.')
@allowed([ 'Standard_LRS', 'Standard_ZRS', 'Standard_GRS' ])
param skuName string = 'Standard_LRS'

@description('Name of the apps\' managed identity (names its role assignments).')
param appIdentityName string

@description('Principal id of the apps\' managed identity.')
param appPrincipalId string

@description('Object id of the developer running azd, who also gets table access; empty for none.')
param developerPrincipalId string = ''

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    // Entra ID only: no account keys, so no connection string can leak; the apps use their managed identity.
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableDataContributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principal in dataPrincipals(appIdentityName, appPrincipalId, developerPrincipalId): {
    name: guid(storage.id, principal.key, roleIds.storageTableDataContributor)
    scope: storage
    properties: {
      principalId: principal.id
      principalType: principal.?type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor)
    }
  }
]

@description('Name of the account.')
output name string = storage.name

@description('Table endpoint (https://<name>.table.core.windows.net/), reached with the managed identity.')
output tableEndpoint string = storage.properties.primaryEndpoints.table
