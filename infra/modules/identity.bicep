metadata description = 'The user-assigned managed identity the fleet apps run as: it pulls images and reaches storage and Event Hubs without any connection string.'

@description('Name of the identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags of the identity.')
param tags resourceInput<'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31'>.tags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id, for the apps\' identity and registry settings.')
output id string = identity.id

@description('Client id, given to the apps as AZURE_CLIENT_ID so DefaultAzureCredential picks this identity.')
output clientId string = identity.properties.clientId

@description('Principal (object) id, the subject of the role assignments.')
output principalId string = identity.properties.principalId
