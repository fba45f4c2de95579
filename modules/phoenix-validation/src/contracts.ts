/** The contract types and validators this module uses, in one place. */
export * from '@phoenix/contracts';
