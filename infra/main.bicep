targetScope = 'subscription'

metadata description = 'OrleansFleet on Azure Container Apps: the Orleans silos on Azure Storage tables and Event Hubs, and the public HTTP API as an Orleans client, with one managed identity and no connection strings.'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: names the resource group and, hashed, every resource in it.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Object id of the developer running azd, who gets the same data access as the apps (tables, Event Hubs); empty for none.')
param principalId string = ''

@description('Whether the silo app exists already (azd sets SERVICE_SILO_RESOURCE_EXISTS): re-provisioning then keeps its deployed image.')
param siloExists bool = false

@description('Whether the API app exists already (azd sets SERVICE_API_RESOURCE_EXISTS): re-provisioning then keeps its deployed image.')
param apiExists bool = false

@description('SHA-256 (64 hex digits) of the API key that holds every scope (admin). Print it with: dotnet run --project src/OrleansFleet.Silo -- hash-key <key>; the key itself stays with you. The Azure mode refuses to start without a key.')
param adminApiKeyHash string

@description('Orleans ServiceId: names the service across deployments; storage keys and the stream consumer group derive from it.')
param serviceId string = 'orleansfleet'

@description('Orleans ClusterId: silos with the same one form one cluster. Defaults to the azd environment name.')
param clusterId string = environmentName

@description('Fewest silo replicas: two, so one silo can fail while the other keeps the devices.')
@minValue(2)
@maxValue(32)
param siloMinReplicas int = 2

@description('Most silo replicas; more than the telemetry hub has partitions adds no stream readers.')
@minValue(2)
@maxValue(32)
param siloMaxReplicas int = 4

@description('CPU cores per silo replica (with twice as many GiB of memory).')
@allowed([ '0.5', '1.0', '1.5', '2.0', '3.0', '4.0' ])
param siloCpu string = '1.0'

@description('Concurrent HTTP requests per replica above which the API app adds a replica.')
@minValue(1)
param apiConcurrentRequests int = 100

@description('Fewest API replicas (Orleans clients; they hold no fleet state, so one is enough at rest).')
@minValue(1)
@maxValue(30)
param apiMinReplicas int = 1

@description('Most API replicas the HTTP scale rule may add.')
@minValue(1)
@maxValue(30)
param apiMaxReplicas int = 10

@description('CPU cores per API replica (with twice as many GiB of memory).')
@allowed([ '0.5', '1.0', '1.5', '2.0', '3.0', '4.0' ])
param apiCpu string = '0.5'

@description('Partitions of the telemetry hub, fixed at creation on the Standard tier: the most silos that read the stream at once.')
@minValue(2)
@maxValue(32)
param telemetryPartitions int = 16

@description('Event Hubs throughput units (each 1,000 events/s or 1 MB/s in).')
@minValue(1)
@maxValue(40)
param eventHubsCapacity int = 1

@description('Event Hubs auto-inflate ceiling in throughput units; 0 keeps the capacity fixed.')
@minValue(0)
@maxValue(40)
param eventHubsMaxThroughputUnits int = 0

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var identityName = 'id-fleet-${resourceToken}'
var logAnalyticsName = 'log-${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'

// Orleans' ports inside the environment: silo-to-silo traffic and the gateway that Orleans clients (the API app)
// connect to.
var siloPort = 11111
var gatewayPort = 30000
var telemetryHubName = 'fleet-telemetry'
var deadLetterHubName = 'fleet-telemetry-dead'
// Consumption replicas have 2 GiB of memory per core.
var memoryForCores = { '0.5': '1Gi', '1.0': '2Gi', '1.5': '3Gi', '2.0': '4Gi', '3.0': '6Gi', '4.0': '8Gi' }

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup
  params: {
    name: 'cr${resourceToken}'
    location: location
    tags: tags
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
  }
}

module eventHubs 'modules/event-hubs.bicep' = {
  name: 'event-hubs'
  scope: resourceGroup
  params: {
    name: 'evhns-${resourceToken}'
    location: location
    tags: tags
    capacity: eventHubsCapacity
    maximumThroughputUnits: eventHubsMaxThroughputUnits
    telemetryHubName: telemetryHubName
    telemetryPartitions: telemetryPartitions
    deadLetterHubName: deadLetterHubName
    consumerGroupName: serviceId
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
  }
}

module environment 'modules/container-apps-environment.bicep' = {
  name: 'container-apps-environment'
  scope: resourceGroup
  params: {
    name: 'cae-${resourceToken}'
    location: location
    tags: tags
    // The names, not the monitoring module's outputs, so What-If can resolve the existing resources up front.
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [ monitoring ]
}

// ==== App settings: the one place that configures the fleet apps =====================================================
// Environment variables ('__' is ':' in .NET configuration) every fleet app gets. The keys follow the options classes
// in src/OrleansFleet.Hosting and docs/azure-storage.md; when the Azure mode's keys change, change them here and
// nowhere else. There are no secrets: storage and Event Hubs are reached with the managed identity.
var fleetAppSettings = {
  // The run mode (design.md, Run modes): clustering, reminders, grain state and history on Azure Tables, the stream on
  // Event Hubs. The mode fills in every provider's ProviderType (docs/azure-storage.md), so nothing else names them.
  Fleet__Mode: 'Azure'

  // Orleans' own configuration section: the cluster's identity and the ports exposed to the environment.
  Orleans__ClusterId: clusterId
  Orleans__ServiceId: serviceId
  Orleans__Endpoints__SiloPort: string(siloPort)
  Orleans__Endpoints__GatewayPort: string(gatewayPort)

  // Azure Tables (membership, reminders, grain state, telemetry history) through the managed identity.
  Fleet__Storage__TableEndpoint: storage.outputs.tableEndpoint

  // Event Hubs, authenticated with the managed identity: the silos read it through Microsoft.Orleans.Streaming.EventHubs,
  // the API app appends to it.
  Fleet__Streaming__EventHubs__Namespace: eventHubs.outputs.name
  Fleet__Streaming__EventHubs__Hub: eventHubs.outputs.telemetryHubName
  Fleet__Streaming__EventHubs__ConsumerGroup: eventHubs.outputs.consumerGroupName
  Fleet__Streaming__EventHubs__DeadLetterHub: eventHubs.outputs.deadLetterHubName

  // The API key by its hash only (README, Security): the hash lets nobody call the API. Add more keys the same way.
  Fleet__Security__ApiKeys__admin__Hash: adminApiKeyHash
  Fleet__Security__ApiKeys__admin__Scopes: 'admin'

  // DefaultAzureCredential picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identity.outputs.clientId
}
// =====================================================================================================================

// The silos: internal only (their HTTP port serves health probes, the dashboard and the API inside the environment),
// at least two replicas, Orleans' silo and gateway ports open to the other apps of the environment.
module silo 'modules/fleet-app.bicep' = {
  name: 'silo'
  scope: resourceGroup
  params: {
    name: 'ca-silo-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'silo'
    environmentId: environment.outputs.id
    identityId: identity.outputs.id
    registryServer: registry.outputs.loginServer
    exists: siloExists
    external: false
    internalTcpPorts: [ siloPort, gatewayPort ]
    cpu: siloCpu
    memory: memoryForCores[siloCpu]
    minReplicas: siloMinReplicas
    maxReplicas: siloMaxReplicas
    settings: union(fleetAppSettings, { OTEL_SERVICE_NAME: 'orleansfleet-silo' })
  }
}

// The public HTTP API: an Orleans client that finds the silos' gateways in the membership table, appends telemetry to
// Event Hubs itself and scales on concurrent requests. Same settings as the silos, so both agree on the cluster.
module api 'modules/fleet-app.bicep' = {
  name: 'api'
  scope: resourceGroup
  params: {
    name: 'ca-api-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    environmentId: environment.outputs.id
    identityId: identity.outputs.id
    registryServer: registry.outputs.loginServer
    exists: apiExists
    external: true
    cpu: apiCpu
    memory: memoryForCores[apiCpu]
    minReplicas: apiMinReplicas
    maxReplicas: apiMaxReplicas
    httpConcurrentRequests: apiConcurrentRequests
    settings: union(fleetAppSettings, { OTEL_SERVICE_NAME: 'orleansfleet-api' })
  }
}

@description('Resource group of the deployment.')
output AZURE_RESOURCE_GROUP string = resourceGroup.name

@description('Registry azd builds and pushes the images to.')
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer

@description('Name of the registry.')
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name

@description('Name of the Container Apps environment.')
output AZURE_CONTAINER_ENVIRONMENT_NAME string = environment.outputs.name

@description('Client id of the apps\' managed identity.')
output AZURE_CLIENT_ID string = identity.outputs.clientId

@description('Table endpoint of the storage account.')
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint

@description('Event Hubs namespace of the telemetry stream.')
output AZURE_EVENTHUBS_NAMESPACE string = eventHubs.outputs.name

@description('The telemetry hub.')
output AZURE_EVENTHUBS_TELEMETRY_HUB string = eventHubs.outputs.telemetryHubName

@description('Public HTTPS address of the fleet API.')
output FLEET_API_URI string = api.outputs.uri
