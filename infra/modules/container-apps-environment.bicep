metadata description = 'The Container Apps environment: container logs to Log Analytics, and the managed OpenTelemetry agent that forwards the apps\' OTLP traces and logs to Application Insights.'

@description('Name of the environment.')
param name string

@description('Azure region of the environment.')
param location string

@description('Tags of the environment.')
param tags resourceInput<'Microsoft.App/managedEnvironments@2025-02-02-preview'>.tags

@description('Name of the Log Analytics workspace that receives the container logs.')
param logAnalyticsName string

@description('Name of the Application Insights component the OpenTelemetry agent exports to.')
param applicationInsightsName string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// A preview API version: the managed OpenTelemetry agent (openTelemetryConfiguration) is not in a GA version yet.
resource environment 'Microsoft.App/managedEnvironments@2025-02-02-preview' = {
  name: name
  location: location
  tags: tags
  properties: {
    // No workloadProfiles: a Consumption-only environment. Orleans silos talk to each other directly on their
    // replica addresses, which works there; in the workload-profiles Consumption plan the replica address is not
    // reliably reachable from other replicas (microsoft/azure-container-apps#1119).
    zoneRedundant: false
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logAnalytics.properties.customerId
        sharedKey: logAnalytics.listKeys().primarySharedKey
      }
    }
    appInsightsConfiguration: {
      connectionString: applicationInsights.properties.ConnectionString
    }
    // The agent gives every app OTEL_EXPORTER_OTLP_ENDPOINT (and the protocol); an app that exports OTLP there has
    // its traces and logs in Application Insights without holding the connection string itself.
    openTelemetryConfiguration: {
      tracesConfiguration: {
        destinations: [ 'appInsights' ]
      }
      logsConfiguration: {
        destinations: [ 'appInsights' ]
      }
    }
  }
}

@description('Resource id, for the apps.')
output id string = environment.id

@description('Name of the environment.')
output name string = environment.name

@description('The environment\'s default domain: apps are reachable at <app>.<domain>.')
output defaultDomain string = environment.properties.defaultDomain
