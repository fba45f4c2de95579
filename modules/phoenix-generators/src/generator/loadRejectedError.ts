import { InvalidInputError } from '@phoenix/runtime';

/** A load request the generator refuses: the client's fault, permanent (the API answers 400 with `details`). */
export class LoadRejectedError extends InvalidInputError {
  readonly details: string[];
  constructor(message: string, details: string[]) {
    super(message, 'load_rejected');
    this.name = 'LoadRejectedError';
    this.details = details;
  }
}
