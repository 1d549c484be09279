export interface InitGeneratorSchema {
  skipFormat?: boolean
}
