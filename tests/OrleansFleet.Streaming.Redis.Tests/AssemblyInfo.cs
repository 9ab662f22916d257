// The tests share two cores with the silos they start and with real Redis; running them one at a time keeps their
// timing honest and their static recorder unambiguous.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
