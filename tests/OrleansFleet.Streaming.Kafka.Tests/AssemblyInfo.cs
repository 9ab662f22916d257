// The tests share two cores with the silos and mock brokers they start; running them one at a time keeps their
// timing honest and their static recorder unambiguous.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
