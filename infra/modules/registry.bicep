metadata description = 'The container registry azd builds the images in (remote build), with AcrPull for the apps\' identity.'

import { roleIds } from 'roles.bicep'

@description('Name of the registry (5-50 letters and digits, globally unique).')
param name string

@description('Azure region of the registry.')
param location string

@description('Tags of the registry.')
param tags resourceInput<'Microsoft.ContainerRegistry/registries@2023-07-01'>.tags

@description('Name of the managed identity the apps pull images with (names its role assignment).')
param appIdentityName string

@description('Principal id of that identity.')
param appPrincipalId string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    // Pulls go through the managed identity, pushes through the developer's Entra login: no admin user.
    adminUserEnabled: false
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, appIdentityName, roleIds.acrPull)
  scope: registry
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.acrPull)
  }
}

@description('Login server (<name>.azurecr.io), where azd pushes and the apps pull.')
output loginServer string = registry.properties.loginServer

@description('Name of the registry.')
output name string = registry.name
