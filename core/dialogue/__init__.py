"""The conversation: Assistant, session state and stores, policy, personalisation."""
