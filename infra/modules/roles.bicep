metadata description = 'Built-in role definitions the fleet assigns, and who gets them: imported by the modules that own the scopes.'

@export()
@description('Built-in role definition ids (the same in every tenant).')
var roleIds = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975'
}

@export()
@description('A principal that gets a role.')
type principal = {
  @description('Known when the deployment starts, so role assignment names (guids of it) are too: What-If can predict them.')
  key: string

  @description('Object id of the principal (may be known only once its identity exists).')
  id: string

  @description('Kind of principal, when known: it spares ARM a directory look-up that can fail for a brand-new identity.')
  type: ('ServicePrincipal' | 'User' | 'Group')?
}

@export()
@description('The apps\' managed identity (by its name and principal id), plus the developer who runs azd (when known) so they can read the data too.')
func dataPrincipals(appIdentityName string, appPrincipalId string, developerPrincipalId string) principal[] =>
  concat(
    [ { key: appIdentityName, id: appPrincipalId, type: 'ServicePrincipal' } ],
    empty(developerPrincipalId) ? [] : [ { key: developerPrincipalId, id: developerPrincipalId } ]
  )
