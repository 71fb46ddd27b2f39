import type { Directory } from '../../cluster/directory.js';

/** Where the registry reads the cluster directory from. */
export interface DirectorySource {
  /** The directory now; may re-read its configuration. */
  current(): Directory;
}

/** A directory held in memory and replaced by the operator (the demo and tests). */
export class MemoryDirectorySource implements DirectorySource {
  constructor(private directory: Directory) {}

  current(): Directory {
    return this.directory;
  }

  /** Replaces the directory: members join or leave on the next refresh of each reader. */
  set(directory: Directory): void {
    this.directory = directory;
  }
}
