package dev.orcaj.data;

/** A train / test pair; official = the data set's own published split (false when a seeded random split replaced it). */
public record TrainTest(ArrayDataset train, ArrayDataset test, boolean official) {}
