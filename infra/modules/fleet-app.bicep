metadata description = 'One fleet deployable as a container app: its image from the registry through the managed identity, its settings, health probes, ingress (HTTP plus extra TCP ports) and scale rules.'

@description('Name of the container app.')
param name string

@description('Azure region of the app.')
param location string

@description('Tags of the environment; the app adds azd-service-name.')
param tags resourceInput<'Microsoft.App/containerApps@2025-01-01'>.tags

@description('The service\'s name in azure.yaml: azd finds the app to deploy to by its azd-service-name tag.')
param serviceName string

@description('Resource id of the Container Apps environment.')
param environmentId string

@description('Resource id of the user-assigned identity the app runs as and pulls its image with.')
param identityId string

@description('Login server of the registry the image comes from.')
param registryServer string

@description('Whether the app exists already (azd sets SERVICE_<NAME>_RESOURCE_EXISTS): then it keeps its deployed image instead of the placeholder.')
param exists bool

@description('Port the app serves HTTP on (ingress, health probes).')
param httpPort int = 8080

@description('Whether HTTP ingress is reachable from the internet (true) or only inside the environment (false).')
param external bool

@description('Extra TCP ports other apps in the environment reach this one on (never from outside), e.g. Orleans\' silo and gateway ports.')
param internalTcpPorts int[] = []

@description('CPU cores of each replica (Consumption: 0.25 to 4, in steps of 0.25, with twice as many GiB of memory).')
param cpu string = '0.5'

@description('Memory of each replica, twice the cores in GiB (e.g. "1Gi" for 0.5 cores).')
param memory string = '1Gi'

@description('Fewest replicas.')
@minValue(0)
@maxValue(300)
param minReplicas int

@description('Most replicas.')
@minValue(1)
@maxValue(300)
param maxReplicas int

@description('Concurrent HTTP requests per replica above which another replica is added; 0 for no HTTP scale rule.')
@minValue(0)
param httpConcurrentRequests int = 0

@description('Seconds a stopping replica gets to finish: an Orleans silo hands its activations and stream partitions over in it.')
@minValue(0)
@maxValue(600)
param terminationGracePeriodSeconds int = 60

@description('Environment variables of the container, name to value (no secrets: the app authenticates with its identity).')
param settings { *: string }

var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'

resource existingApp 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: name
}

var healthProbes = [
  {
    // A silo joins the cluster and creates its tables before it listens: give it two minutes (Container Apps allows
    // at most 10 failures, so the period is what stretches it).
    type: 'Startup'
    httpGet: { path: '/health/live', port: httpPort }
    periodSeconds: 12
    failureThreshold: 10
  }
  {
    type: 'Liveness'
    httpGet: { path: '/health/live', port: httpPort }
    periodSeconds: 10
    failureThreshold: 3
  }
  {
    // Out of ingress rotation while the cluster or the telemetry store is unavailable (see /health/ready).
    type: 'Readiness'
    httpGet: { path: '/health/ready', port: httpPort }
    periodSeconds: 10
    failureThreshold: 3
  }
]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: external
        targetPort: httpPort
        transport: 'http'
        allowInsecure: false
        additionalPortMappings: [
          for port in internalTcpPorts: {
            external: false
            targetPort: port
            exposedPort: port
          }
        ]
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: serviceName
          // azd deploys the real image after provisioning; until the first deploy a public placeholder runs.
          image: exists ? existingApp!.properties.template.containers[0].image : placeholderImage
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: [for setting in items(settings): { name: setting.key, value: setting.value }]
          probes: healthProbes
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: httpConcurrentRequests > 0
          ? [
              {
                name: 'http-requests'
                http: {
                  metadata: {
                    concurrentRequests: string(httpConcurrentRequests)
                  }
                }
              }
            ]
          : []
      }
    }
  }
}

@description('Name of the app.')
output name string = app.name

@description('Fully qualified domain name of its HTTP ingress.')
output fqdn string = app.properties.configuration.ingress.fqdn

@description('HTTPS address of the app.')
output uri string = 'https://${app.properties.configuration.ingress.fqdn}'
